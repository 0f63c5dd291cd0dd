import Foundation

/// A strict reader of the Prometheus text exposition format (0.0.4), enough to prove `/metrics` is valid.
///
/// Checks each sample line's grammar (`name{label="value",…} number`), that `# TYPE` comes
/// before a family's samples and names a known type, and that every histogram has cumulative
/// buckets ending in `+Inf` equal to `_count`.
struct PrometheusExposition {
    struct Sample: Equatable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    struct Invalid: Error, CustomStringConvertible {
        let line: String
        let problem: String
        var description: String { "\(problem): \(line)" }
    }

    private(set) var types: [String: String] = [:]
    private(set) var samples: [Sample] = []

    init(parsing text: String) throws {
        let sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? ([^ ]+)( -?[0-9]+)?$/
        let labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                    throw Invalid(line: line, problem: "bad TYPE line")
                }
                types[String(parts[2])] = String(parts[3])
                continue
            }
            if line.hasPrefix("#") { continue }
            guard let match = line.wholeMatch(of: sampleLine) else { throw Invalid(line: line, problem: "not a sample line") }
            let name = String(match.output.1)
            var labels: [String: String] = [:]
            if let body = match.output.3 {
                var rest = Substring(body)
                while !rest.isEmpty {
                    guard let pair = rest.prefixMatch(of: labelPair) else { throw Invalid(line: line, problem: "bad label list") }
                    labels[String(pair.output.1)] = String(pair.output.2)
                    rest = rest[pair.range.upperBound...]
                    if rest.hasPrefix(",") { rest = rest.dropFirst() }
                }
            }
            let valueText = String(match.output.4)
            guard let value = Double(valueText) ?? ["+Inf": Double.infinity, "-Inf": -Double.infinity, "NaN": Double.nan][valueText] else {
                throw Invalid(line: line, problem: "bad value")
            }
            let family = ["_bucket", "_count", "_sum"].reduce(name) { name, suffix in
                name.hasSuffix(suffix) && types[String(name.dropLast(suffix.count))] == "histogram" ? String(name.dropLast(suffix.count)) : name
            }
            guard types[family] != nil else { throw Invalid(line: line, problem: "sample before its # TYPE") }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        try checkHistograms()
    }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    private func checkHistograms() throws {
        for (family, type) in types where type == "histogram" {
            let buckets = samples.filter { $0.name == family + "_bucket" }
            let series = Dictionary(grouping: buckets) { $0.labels.filter { $0.key != "le" } }
            for (labels, bucketSamples) in series {
                let ordered = bucketSamples.map { (Double($0.labels["le"] ?? "") ?? ($0.labels["le"] == "+Inf" ? .infinity : .nan), $0.value) }
                    .sorted { $0.0 < $1.0 }
                guard ordered.last?.0 == .infinity else { throw Invalid(line: family, problem: "histogram without +Inf bucket") }
                guard zip(ordered, ordered.dropFirst()).allSatisfy({ $0.1 <= $1.1 }) else {
                    throw Invalid(line: family, problem: "buckets are not cumulative")
                }
                guard value(family + "_count", labels) == ordered.last?.1 else { throw Invalid(line: family, problem: "_count differs from +Inf bucket") }
            }
        }
    }
}
