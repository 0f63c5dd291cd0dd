extension ARIEvent {
    /// Decodes the payload of a known event type; nil for a type this version does not know.
    init?(type: String, _ object: JSONObjectReader) throws(ARIDecodingError) {
        switch type {
        case "StasisStart": self = .stasisStart(try StasisStart(object))
        case "StasisEnd": self = .stasisEnd(try ChannelSnapshot(object))
        case "ApplicationMoveFailed": self = .applicationMoveFailed(try ApplicationMoveFailed(object))
        case "ApplicationRegistered": self = .applicationRegistered
        case "ApplicationUnregistered": self = .applicationUnregistered
        case "ApplicationReplaced": self = .applicationReplaced
        case "ChannelCreated": self = .channelCreated(try ChannelSnapshot(object))
        case "ChannelDestroyed": self = .channelDestroyed(try ChannelDestroyed(object))
        case "ChannelStateChange": self = .channelStateChange(try ChannelSnapshot(object))
        case "ChannelHangupRequest": self = .channelHangupRequest(try ChannelHangupRequest(object))
        case "ChannelDtmfReceived": self = .channelDtmfReceived(try ChannelDtmfReceived(object))
        case "ChannelDialplan": self = .channelDialplan(try ChannelDialplan(object))
        case "ChannelCallerId": self = .channelCallerId(try ChannelCallerId(object))
        case "ChannelConnectedLine": self = .channelConnectedLine(try ChannelSnapshot(object))
        case "ChannelUserevent": self = .channelUserevent(try ChannelUserevent(object))
        case "ChannelVarset": self = .channelVarset(try ChannelVarset(object))
        case "ChannelHold": self = .channelHold(try ChannelHold(object))
        case "ChannelUnhold": self = .channelUnhold(try ChannelSnapshot(object))
        case "ChannelToneDetected": self = .channelToneDetected(try ChannelSnapshot(object))
        case "ChannelTalkingStarted": self = .channelTalkingStarted(try ChannelSnapshot(object))
        case "ChannelTalkingFinished": self = .channelTalkingFinished(try ChannelTalkingFinished(object))
        case "ChannelTransfer": self = .channelTransfer(try ChannelTransfer(object))
        case "Dial": self = .dial(try Dial(object))
        case "BridgeCreated": self = .bridgeCreated(try BridgeSnapshot(object))
        case "BridgeDestroyed": self = .bridgeDestroyed(try BridgeSnapshot(object))
        case "BridgeMerged": self = .bridgeMerged(try BridgeMerged(object))
        case "BridgeVideoSourceChanged": self = .bridgeVideoSourceChanged(try BridgeVideoSourceChanged(object))
        case "BridgeBlindTransfer": self = .bridgeBlindTransfer(try BridgeBlindTransfer(object))
        case "BridgeAttendedTransfer": self = .bridgeAttendedTransfer(try BridgeAttendedTransfer(object))
        case "ChannelEnteredBridge": self = .channelEnteredBridge(try ChannelEnteredBridge(object))
        case "ChannelLeftBridge": self = .channelLeftBridge(try ChannelLeftBridge(object))
        case "PlaybackStarted": self = .playbackStarted(try PlaybackSnapshot(object))
        case "PlaybackContinuing": self = .playbackContinuing(try PlaybackSnapshot(object))
        case "PlaybackFinished": self = .playbackFinished(try PlaybackSnapshot(object))
        case "RecordingStarted": self = .recordingStarted(try RecordingSnapshot(object))
        case "RecordingFinished": self = .recordingFinished(try RecordingSnapshot(object))
        case "RecordingFailed": self = .recordingFailed(try RecordingSnapshot(object))
        case "EndpointStateChange": self = .endpointStateChange(try EndpointStateChange(object))
        case "ContactStatusChange": self = .contactStatusChange(try ContactStatusChange(object))
        case "PeerStatusChange": self = .peerStatusChange(try PeerStatusChange(object))
        case "DeviceStateChanged": self = .deviceStateChanged(try DeviceStateChanged(object))
        case "TextMessageReceived": self = .textMessageReceived(try TextMessageReceived(object))
        case "RESTResponse": self = .restResponse(try RESTResponse(object))
        case "CallBroadcast": self = .callBroadcast(try CallBroadcast(object))
        case "CallClaimed": self = .callClaimed(try CallClaimed(object))
        default: return nil
        }
    }
}
