import Foundation
import Testing

/// Builds sample JSON for ARI models straight from the Swagger 1.2 files, at test time.
///
/// Required properties (or all of them, with `includeOptional`) get a value of their declared
/// type; nested models are built recursively; strings with allowable values take the first one.
/// Built from the files rather than by hand, so a model the decoder forgot cannot slip through.
struct SwaggerSamples {
    let models: [String: [String: Any]]

    init() throws {
        var models: [String: [String: Any]] = [:]
        let folder = Fixtures.directory.appendingPathComponent("api-docs-22")
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".json") {
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(file))) as! [String: Any]
            for (name, model) in document["models"] as? [String: [String: Any]] ?? [:] { models[name] = model }
        }
        self.models = models
    }

    /// The names of the declared event types: subtypes of `Event`, and of `Message` besides `Event`.
    var eventTypes: [String] {
        let events = models["Event"]?["subTypes"] as? [String] ?? []
        let messages = (models["Message"]?["subTypes"] as? [String] ?? []).filter { $0 != "Event" }
        return events + messages
    }

    /// A message of type `name`, with the members it inherits from `Event` and `Message`.
    func event(_ name: String, includeOptional: Bool) -> [String: Any] {
        var members: [String: Any] = [:]
        let parents = (models["Event"]?["subTypes"] as? [String] ?? []).contains(name) ? ["Message", "Event"] : ["Message"]
        for model in parents + [name] {
            for (key, value) in object(model, includeOptional: includeOptional) { members[key] = value }
        }
        members["type"] = name
        return members
    }

    func object(_ modelName: String, includeOptional: Bool) -> [String: Any] {
        var result: [String: Any] = [:]
        let properties = models[modelName]?["properties"] as? [String: [String: Any]] ?? [:]
        for (key, property) in properties {
            let required = property["required"] as? Bool ?? false
            guard required || includeOptional else { continue }
            result[key] = value(ofType: property["type"] as! String, property: property, key: key,
                                includeOptional: includeOptional)
        }
        return result
    }

    private func value(ofType type: String, property: [String: Any], key: String, includeOptional: Bool) -> Any {
        if type.hasPrefix("List["), type.hasSuffix("]") {
            let element = String(type.dropFirst(5).dropLast())
            return [value(ofType: element, property: [:], key: key, includeOptional: includeOptional)]
        }
        switch type {
        case "string":
            if let values = (property["allowableValues"] as? [String: Any])?["values"] as? [String], let first = values.first {
                return first
            }
            return "\(key)-value"
        case "int", "long": return 7
        case "double": return 1.5
        case "boolean": return true
        case "Date": return "2026-11-26T12:26:37.458+0000"
        case "object": return ["member": "value"]
        default:
            if models[type] == nil { Issue.record("Swagger type \(type) of \(key) is unknown to the sample builder") }
            return object(type, includeOptional: includeOptional)
        }
    }
}
