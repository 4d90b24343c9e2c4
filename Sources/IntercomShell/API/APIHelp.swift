import Foundation

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

    /// The methods, summaries and parameters of the documented path `path` (or, when none is, of those that start
    /// with it), and the paths below it.
    static func path(_ path: String) -> String? {
        let description = APIDescription.current
        let wanted = path.hasPrefix("/") ? path : "/" + path
        var paths = description.paths.filter { $0 == wanted }
        if paths.isEmpty { paths = description.paths.filter { $0.hasPrefix(wanted) } }
        guard !paths.isEmpty else {
            let nearest = description.nearestPaths(to: wanted.split(separator: "/").map(String.init))
            return "no documented path \(wanted) in the REST API \(description.version); nearest: \(nearest.joined(separator: ", "))"
        }
        var lines: [String] = []
        for template in paths {
            lines.append(template)
            for operation in description.operations(at: template) {
                lines.append("  \(operation.method.padding(toLength: 6, withPad: " ", startingAt: 0)) \(operation.summary)")
                let pathParameters = operation.pathParameters
                if !pathParameters.isEmpty { lines.append("         path: " + pathParameters.joined(separator: ", ")) }
                if !operation.query.isEmpty {
                    lines.append("         query: " + operation.query.map { $0.required ? $0.name + " (required)" : $0.name }.joined(separator: ", "))
                }
                if let fields = description.bodyFields(of: operation) { lines.append("         body: " + fields) }
            }
        }
        let below = description.paths.filter { $0.hasPrefix(wanted + "/") && !paths.contains($0) }
        if !below.isEmpty { lines.append("also: " + below.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }
}
