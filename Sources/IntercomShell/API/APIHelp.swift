import Foundation
import IntercomKit

/// What `help api` says: how `api` is written, and what the description says of a path.
enum APIHelp {
    /// The rules and examples of `api`, after its usage.
    static let details = [
        "",
        "The path is one of the REST API's documented paths, with values for its {parameters}: /contacts/6762f0d0 or",
        "/contacts/{contact_id} contact_id=6762f0d0. It is checked before sending against Intercom's description of the",
        "API (2.16): an unknown path names the nearest ones, a method the path lacks lists those it has.",
        "key=value words build the JSON body of a POST, PUT or PATCH (dotted keys nest, values are typed), or the query",
        "string of a GET or DELETE; body={…} and query={…} give them whole, body.k=… and query.k=… choose.",
        "`all` walks every page of a list, one record per item (cursors, search pagination, scroll, next URLs, pages).",
        "The record's result is the answer as the server sent it. GET, PUT and DELETE are retried like reads; a POST only",
        "when it provably was not processed, unless the description makes it a search.",
        "",
        "examples:",
        "  api GET /me",
        "  api GET /contacts/${ben.id}",
        "  api PUT /contacts/${ben.id} custom_attributes.seats=5",
        "  api POST /contacts/search body={\"query\":{\"field\":\"email\",\"operator\":\"~\",\"value\":\"example.com\"}} all",
        "  api GET /contacts all per_page=150",
        "  api DELETE /tags/{tag_id} tag_id=17",
        "  {\"op\":\"api\",\"method\":\"POST\",\"path\":\"/companies\",\"body\":{\"company_id\":\"6\",\"name\":\"Blue Sun\"}}",
        "",
        "help api /companies lists a path's methods and parameters (* marks a required field); help api /con lists the",
        "paths that start so.",
    ]

    /// `help api [METHOD] PATH`: the documented path `PATH` (a template, a concrete path such as `/contacts/abc`,
    /// or the start of paths), its methods (or just `METHOD`'s) with their parameters, and the paths below it; or
    /// why there is none.
    static func topic(_ words: [String]) -> Result<String, InputError> {
        let method = words.count == 2 ? words[0].uppercased() : nil
        guard let path = words.last, words.count <= 2, method.map(APICall.methods.contains) ?? true else {
            return .failure(InputError("usage: help api [METHOD] PATH, e.g. help api GET /contacts"))
        }
        let description = APIDescription.current
        let wanted = path.hasPrefix("/") ? path : "/" + path
        let segments = wanted.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        var paths = description.paths.filter { $0 == wanted }
        if paths.isEmpty { paths = description.templates(matching: segments) }
        if paths.isEmpty { paths = description.paths.filter { $0.hasPrefix(wanted) } }
        guard !paths.isEmpty else {
            let nearest = description.nearestPaths(to: segments)
            return .failure(InputError("no documented path \(wanted) in the REST API \(description.version); nearest: \(nearest.joined(separator: ", "))"))
        }
        var lines: [String] = []
        for template in paths {
            let operations = description.operations(at: template).filter { method == nil || $0.method == method }
            guard !operations.isEmpty else { continue }
            lines.append(template)
            for operation in operations { lines += describe(operation, in: description) }
        }
        guard !lines.isEmpty else {
            let methods = Set(paths.flatMap { description.operations(at: $0).map(\.method) }).sorted()
            return .failure(InputError("\(paths.joined(separator: ", ")) has no \(method ?? "method"); it takes \(methods.joined(separator: ", "))"))
        }
        return .success(finish(lines, below: wanted, paths: paths))
    }

    /// An operation's method, summary and parameters, as lines.
    private static func describe(_ operation: APIDescription.Operation, in description: APIDescription) -> [String] {
        var lines = ["  \(operation.method.padding(toLength: 6, withPad: " ", startingAt: 0)) \(operation.summary)"]
        if !operation.pathParameters.isEmpty { lines.append("         path: " + operation.pathParameters.joined(separator: ", ")) }
        if !operation.query.isEmpty {
            lines.append("         query: " + operation.query.map { $0.required ? $0.name + " (required)" : $0.name }.joined(separator: ", "))
        }
        if let fields = description.bodyFields(of: operation) { lines.append("         body: " + fields) }
        return lines
    }

    /// `lines`, then the documented paths below `path` not already shown.
    private static func finish(_ lines: [String], below path: String, paths: [String]) -> String {
        let below = APIDescription.current.paths.filter { $0.hasPrefix(path + "/") && !paths.contains($0) }
        return (lines + (below.isEmpty ? [] : ["also: " + below.joined(separator: ", ")])).joined(separator: "\n")
    }
}
