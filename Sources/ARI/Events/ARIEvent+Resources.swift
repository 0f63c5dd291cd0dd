extension ARIEvent {
    /// A resource an event concerns, for routing events to the call that owns it.
    public enum Resource: Hashable, Sendable {
        case channel(ChannelID)
        case bridge(BridgeID)
        case playback(PlaybackID)
        case recording(RecordingName)
    }

    /// Every resource this event concerns: channels (including peers and transfer legs), bridges,
    /// playbacks, recordings, and the channel or bridge a playback or recording targets.
    ///
    /// Order follows the event's fields; duplicates are removed.
    public var resources: [Resource] {
        var collector = ResourceCollector()
        switch self {
        case .stasisStart(let event):
            collector.add(event.channel)
            collector.add(event.replaceChannel)
        case .stasisEnd(let event), .channelCreated(let event), .channelStateChange(let event),
             .channelConnectedLine(let event), .channelUnhold(let event), .channelToneDetected(let event),
             .channelTalkingStarted(let event):
            collector.add(event.channel)
        case .applicationMoveFailed(let event): collector.add(event.channel)
        case .channelDestroyed(let event): collector.add(event.channel)
        case .channelHangupRequest(let event): collector.add(event.channel)
        case .channelDtmfReceived(let event): collector.add(event.channel)
        case .channelDialplan(let event): collector.add(event.channel)
        case .channelCallerId(let event): collector.add(event.channel)
        case .channelUserevent(let event):
            collector.add(event.channel)
            collector.add(event.bridge)
        case .channelVarset(let event): collector.add(event.channel)
        case .channelHold(let event): collector.add(event.channel)
        case .channelTalkingFinished(let event): collector.add(event.channel)
        case .channelTransfer(let event):
            collector.add(event.referredBy.sourceChannel)
            collector.add(event.referredBy.connectedChannel)
            collector.add(event.referredBy.bridge)
            collector.add(event.referTo.destinationChannel)
            collector.add(event.referTo.connectedChannel)
            collector.add(event.referTo.bridge)
        case .dial(let event):
            collector.add(event.caller)
            collector.add(event.peer)
            collector.add(event.forwarded)
        case .bridgeCreated(let event), .bridgeDestroyed(let event): collector.add(event.bridge)
        case .bridgeMerged(let event):
            collector.add(event.bridge)
            collector.add(event.bridgeFrom)
        case .bridgeVideoSourceChanged(let event): collector.add(event.bridge)
        case .bridgeBlindTransfer(let event):
            collector.add(event.channel)
            collector.add(event.replaceChannel)
            collector.add(event.transferee)
            collector.add(event.bridge)
        case .bridgeAttendedTransfer(let event):
            for channel in [event.transfererFirstLeg, event.transfererSecondLeg] { collector.add(channel) }
            for channel in [event.replaceChannel, event.transferee, event.transferTarget, event.destinationLinkFirstLeg,
                            event.destinationLinkSecondLeg, event.destinationThreewayChannel] {
                collector.add(channel)
            }
            for bridge in [event.transfererFirstLegBridge, event.transfererSecondLegBridge, event.destinationThreewayBridge] {
                collector.add(bridge)
            }
            if let bridge = event.destinationBridge { collector.add(ARIEvent.Resource.bridge(BridgeID(bridge))) }
        case .channelEnteredBridge(let event):
            collector.add(event.bridge)
            collector.add(event.channel)
        case .channelLeftBridge(let event):
            collector.add(event.bridge)
            collector.add(event.channel)
        case .playbackStarted(let event), .playbackContinuing(let event), .playbackFinished(let event):
            collector.add(.playback(event.playback.id))
            collector.addTarget(event.playback.target)
        case .recordingStarted(let event), .recordingFinished(let event), .recordingFailed(let event):
            collector.add(.recording(event.recording.name))
            collector.addTarget(event.recording.target)
        case .endpointStateChange(let event): collector.add(event.endpoint)
        case .contactStatusChange(let event): collector.add(event.endpoint)
        case .peerStatusChange(let event): collector.add(event.endpoint)
        case .textMessageReceived(let event): if let endpoint = event.endpoint { collector.add(endpoint) }
        case .callBroadcast(let event): collector.add(event.channel)
        case .callClaimed(let event): collector.add(event.channel)
        case .applicationRegistered, .applicationUnregistered, .applicationReplaced, .deviceStateChanged,
             .restResponse, .missingParams, .unknown:
            break
        }
        return collector.resources
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

/// Accumulates resources in order, without duplicates.
private struct ResourceCollector {
    private(set) var resources: [ARIEvent.Resource] = []

    mutating func add(_ resource: ARIEvent.Resource) {
        if !resources.contains(resource) { resources.append(resource) }
    }

    mutating func add(_ channel: Channel?) {
        if let channel { add(.channel(channel.id)) }
    }

    mutating func add(_ bridge: Bridge?) {
        if let bridge { add(.bridge(bridge.id)) }
    }

    mutating func addTarget(_ target: MediaTarget) {
        switch target {
        case .channel(let id): add(ARIEvent.Resource.channel(id))
        case .bridge(let id): add(ARIEvent.Resource.bridge(id))
        case .other: break
        }
    }

    mutating func add(_ endpoint: Endpoint) {
        for id in endpoint.channelIDs { add(ARIEvent.Resource.channel(id)) }
    }
}
