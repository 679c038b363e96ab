extension RequestAssembler {
    /// Bounds on what a web server may send before the body, so that a broken or
    /// hostile peer cannot make the params grow without end.
    public struct Limits: Sendable {
        /// Total content bytes of all PARAMS records of one request.
        public var maxParamsBytes: Int = 1 << 20
        /// Number of name-value pairs in one request's params.
        public var maxParamCount: Int = 1000

        public init(maxParamsBytes: Int = 1 << 20, maxParamCount: Int = 1000) {
            self.maxParamsBytes = maxParamsBytes
            self.maxParamCount = maxParamCount
        }
    }
}
