extension RequestAssembler {
    /// Management records (request id 0): GET_VALUES is answered from
    /// `serverValues`; any other type is answered with UNKNOWN_TYPE, as the
    /// specification asks so that future web servers can probe safely.
    mutating func receiveManagement(_ record: Record) -> [Action] {
        guard record.kind == .getValues else { return [.write(Self.unknownType(record.type))] }
        let query: [(name: String, value: String)]
        do {
            query = try NameValuePairs.decode(record.content)
        } catch {
            state = .closed
            return [.close(.malformedNameValuePairs)]
        }
        var answered = Set<String>()
        var result: [(name: String, value: String)] = []
        for name in query.map(\.name) where !answered.contains(name) {
            guard let value = serverValues[name] else { continue }
            answered.insert(name)
            result.append((name: name, value: value))
        }
        var bytes: [UInt8] = []
        RecordEncoder.append(Record(.getValuesResult, requestID: 0, content: NameValuePairs.encode(result)), to: &bytes)
        return [.write(bytes)]
    }
}
