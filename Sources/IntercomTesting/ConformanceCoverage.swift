/// The REST API routes whose requests and answers `RestConformanceTests` checks against Intercom's description, as
/// `METHOD /template`. The operation-table test requires every request a plan builds to be one of them, and the
/// conformance test requires itself to exercise each.
public enum ConformanceCoverage {
    /// The routes checked.
    public static let restRoutes: Set<String> = [
        "POST /contacts", "GET /contacts", "GET /contacts/{contact_id}", "PUT /contacts/{contact_id}", "DELETE /contacts/{contact_id}",
        "GET /contacts/find_by_external_id/{external_id}", "POST /contacts/search", "POST /contacts/{contact_id}/notes",
        "GET /tags", "POST /tags", "GET /tags/{tag_id}", "DELETE /contacts/{contact_id}/tags/{tag_id}", "POST /contacts/{contact_id}/tags",
        "GET /contacts/{contact_id}/tags", "GET /data_attributes", "POST /data_attributes", "POST /events", "GET /events",
        "POST /conversations", "POST /conversations/search", "GET /conversations/{conversation_id}",
        "POST /conversations/{conversation_id}/reply", "PUT /conversations/{conversation_id}", "GET /conversations",
        "POST /conversations/{conversation_id}/parts", "POST /conversations/{conversation_id}/tags",
        "DELETE /conversations/{conversation_id}/tags/{tag_id}", "POST /contacts/{contact_id}/archive",
        "POST /contacts/{contact_id}/unarchive", "POST /contacts/merge", "GET /admins", "GET /admins/{admin_id}", "GET /me",
        "POST /companies", "GET /companies", "GET /companies/{company_id}", "PUT /companies/{company_id}", "DELETE /companies/{company_id}",
        "POST /companies/list", "GET /companies/scroll", "GET /companies/{company_id}/contacts", "POST /contacts/{contact_id}/companies",
        "GET /contacts/{contact_id}/companies", "DELETE /contacts/{contact_id}/companies/{company_id}",
        "GET /contacts/{contact_id}/notes", "DELETE /tags/{tag_id}", "GET /segments", "GET /segments/{segment_id}",
        "GET /contacts/{contact_id}/segments", "PUT /data_attributes/{data_attribute_id}",
    ]
}
