import Synchronization

/// The business tools calls use now: replaced as a whole on SIGHUP, read once per turn, so a
/// turn never sees half of a reload.
public final class ToolShelf: Sendable {
    private let current: Mutex<ToolCatalog>

    public init(_ catalog: ToolCatalog = ToolCatalog()) { current = Mutex(catalog) }

    public var catalog: ToolCatalog { current.withLock { $0 } }

    public func replace(with catalog: ToolCatalog) { current.withLock { $0 = catalog } }
}
