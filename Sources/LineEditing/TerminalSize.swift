import Foundation

/// The size of the terminal a descriptor is on.
public enum TerminalSize {
    /// The columns of the terminal `descriptor` is on; nil when it is no terminal or says it has none.
    public static func columns(of descriptor: Int32) -> Int? {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// The rows of the terminal `descriptor` is on; nil when it is no terminal or says it has none.
    public static func rows(of descriptor: Int32) -> Int? {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
        return Int(size.ws_row)
    }
}
