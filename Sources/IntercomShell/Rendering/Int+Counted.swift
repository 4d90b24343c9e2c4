extension Int {
    /// The count and `noun`, the noun made plural with an `s` unless the count is one: `1 item`, `3 items`.
    func counted(_ noun: String) -> String { "\(self) \(noun)\(self == 1 ? "" : "s")" }
}
