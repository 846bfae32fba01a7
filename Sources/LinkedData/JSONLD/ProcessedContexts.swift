import Foundation

/// Active contexts already processed, shared by every document read with one ``ContextLoader`` (the contexts of
/// the VC 2.0 + OB 3.0 pair, their type-scoped and property-scoped contexts): processing a context is by far the
/// most expensive step of expanding a credential, and its result depends only on the context it starts from, the
/// local context, the base URL and the options. Results are immutable values; bounded (emptied when full).
public final class ProcessedContexts: @unchecked Sendable {
    struct Key: Hashable {
        var active: Int
        var local: LDJSON
        var baseURL: String?
        var overrideProtected: Bool
        var propagate: Bool
        var validateScoped: Bool

        /// Hashes the local context shallowly (its strings, or its size): a scoped context is a large object, and
        /// the same one (same storage) compares equal at once.
        func hash(into hasher: inout Hasher) {
            hasher.combine(active)
            hasher.combine(baseURL)
            hasher.combine(overrideProtected)
            hasher.combine(propagate)
            hasher.combine(validateScoped)
            switch local {
            case .string(let s): hasher.combine(s)
            case .array(let items):
                hasher.combine(items.count)
                for case .string(let s) in items { hasher.combine(s) }
            case .object(let members): hasher.combine(members.count)
            default: hasher.combine(-1)
            }
        }
    }

    private let lock = NSLock()
    private var contexts: [Key: ActiveContext] = [:]
    private var roots: [String?: Int] = [:]
    private var nextID = 1
    private let capacity: Int

    /// An empty cache holding at most `capacity` processed contexts.
    public init(capacity: Int = 256) { self.capacity = capacity }

    /// The identifier of the empty context with document base `base`.
    func rootID(base: String?) -> Int {
        lock.lock()
        defer { lock.unlock() }
        if let id = roots[base] { return id }
        if roots.count >= capacity { roots.removeAll(keepingCapacity: true) }
        let id = nextID
        nextID += 1
        roots[base] = id
        return id
    }

    func context(_ key: Key) -> ActiveContext? {
        lock.lock()
        defer { lock.unlock() }
        return contexts[key]
    }

    /// Stores `context` under `key` with a new cache identifier, and returns it with that identifier.
    func store(_ context: ActiveContext, _ key: Key) -> ActiveContext {
        lock.lock()
        defer { lock.unlock() }
        if let existing = contexts[key] { return existing }
        if contexts.count >= capacity { contexts.removeAll(keepingCapacity: true) }
        var stored = context
        stored.cacheID = nextID
        nextID += 1
        contexts[key] = stored
        return stored
    }
}
