/// Median and MAD as R computes them (`median`, `mad` with its 1.4826 constant), by selection
/// rather than sorting.
enum RobustStatistics {
    static let madConstant = 1.4826

    /// The median; the mean of the two middle values for an even count. Reorders `values`.
    static func median(_ values: inout [Float]) -> Double {
        let count = values.count
        guard count > 0 else { return .nan }
        let upper = select(&values, rank: count / 2)
        guard count % 2 == 0 else { return Double(upper) }
        let lower = values[0..<(count / 2)].max() ?? upper
        return (Double(lower) + Double(upper)) / 2
    }

    /// (median, 1.4826 × median |x − median|). Reorders `values`.
    static func medianAndMAD(_ values: inout [Float]) -> (median: Double, mad: Double) {
        let center = median(&values)
        for index in values.indices { values[index] = Float(abs(Double(values[index]) - center)) }
        return (center, madConstant * median(&values))
    }

    /// The value of rank `rank` (0-based) in sorted order; afterwards everything before `rank` is ≤ it
    /// and everything after is ≥ it (Hoare's selection, median-of-three pivots).
    static func select(_ values: inout [Float], rank: Int) -> Float {
        var low = 0, high = values.count - 1
        while low < high {
            let middle = low + (high - low) / 2
            let pivot = medianOfThree(values[low], values[middle], values[high])
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if rank <= j { high = j } else if rank >= i { low = i } else { break }
        }
        return values[rank]
    }

    private static func medianOfThree(_ a: Float, _ b: Float, _ c: Float) -> Float {
        max(min(a, b), min(max(a, b), c))
    }
}
