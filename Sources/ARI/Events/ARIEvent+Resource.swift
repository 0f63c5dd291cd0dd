extension ARIEvent {
    /// A resource an event concerns, for routing events to the call that owns it.
    public enum Resource: Hashable, Sendable {
        case channel(ChannelID)
        case bridge(BridgeID)
        case playback(PlaybackID)
        case recording(RecordingName)
    }

    /// The channels among ``resources``.
    public var channelIDs: [ChannelID] {
        resources.compactMap { if case .channel(let id) = $0 { id } else { nil } }
    }

    /// The bridges among ``resources``.
    public var bridgeIDs: [BridgeID] {
        resources.compactMap { if case .bridge(let id) = $0 { id } else { nil } }
    }
}

/// A member of an event that names resources: a channel, a bridge, an endpoint (its channels),
/// a playback or recording (itself and its target), the parts of a transfer.
protocol ResourceCarrier {
    func addResources(to collector: inout ResourceCollector)
}

/// Accumulates resources in order, without duplicates (``ARIEvent/resources``).
struct ResourceCollector {
    private(set) var resources: [ARIEvent.Resource] = []

    mutating func add(_ resource: ARIEvent.Resource) {
        if !resources.contains(resource) { resources.append(resource) }
    }

    mutating func add<Carrier: ResourceCarrier>(_ carrier: Carrier?) {
        carrier?.addResources(to: &self)
    }

    /// A bridge named by its id alone (an attended transfer's destination).
    mutating func add(_ bridge: BridgeID?) {
        if let bridge { add(.bridge(bridge)) }
    }
}

extension Channel: ResourceCarrier {
    func addResources(to collector: inout ResourceCollector) { collector.add(.channel(id)) }
}

extension Bridge: ResourceCarrier {
    func addResources(to collector: inout ResourceCollector) { collector.add(.bridge(id)) }
}

extension Endpoint: ResourceCarrier {
    func addResources(to collector: inout ResourceCollector) {
        for id in channelIDs { collector.add(.channel(id)) }
    }
}

extension Playback: ResourceCarrier {
    func addResources(to collector: inout ResourceCollector) {
        collector.add(.playback(id))
        target.addResources(to: &collector)
    }
}

extension LiveRecording: ResourceCarrier {
    func addResources(to collector: inout ResourceCollector) {
        collector.add(.recording(name))
        target.addResources(to: &collector)
    }
}

extension ReferTo: ResourceCarrier {
    func addResources(to collector: inout ResourceCollector) {
        collector.add(destinationChannel)
        collector.add(connectedChannel)
        collector.add(bridge)
    }
}

extension ReferredBy: ResourceCarrier {
    func addResources(to collector: inout ResourceCollector) {
        collector.add(sourceChannel)
        collector.add(connectedChannel)
        collector.add(bridge)
    }
}

extension MediaTarget: ResourceCarrier {
    func addResources(to collector: inout ResourceCollector) {
        switch self {
        case .channel(let id): collector.add(.channel(id))
        case .bridge(let id): collector.add(.bridge(id))
        case .other: break
        }
    }
}
