import Foundation

/// One message from the ARI events WebSocket: a case per type declared in Asterisk 22's `events.json`.
///
/// Several types with the same shape share a payload (``ChannelSnapshot`` for the many
/// "something happened to this channel" events). Types this version does not know arrive as
/// ``unknown(type:raw:)`` with the original bytes, so they can be logged rather than lost.
/// Decode with ``ARIEnvelope/decode(from:)``. Payload properties mirror the members of the
/// event in `events.json`, camel-cased, as for ``ARIDecodable`` models.
public enum ARIEvent: Sendable, Hashable {
    // MARK: Stasis and applications
    case stasisStart(StasisStart)
    case stasisEnd(ChannelSnapshot)
    case applicationMoveFailed(ApplicationMoveFailed)
    case applicationRegistered
    case applicationUnregistered
    /// Another connection took over the application: this socket no longer receives its events.
    case applicationReplaced

    // MARK: Channels
    case channelCreated(ChannelSnapshot)
    case channelDestroyed(ChannelDestroyed)
    case channelStateChange(ChannelSnapshot)
    case channelHangupRequest(ChannelHangupRequest)
    case channelDtmfReceived(ChannelDtmfReceived)
    case channelDialplan(ChannelDialplan)
    case channelCallerId(ChannelCallerId)
    case channelConnectedLine(ChannelSnapshot)
    case channelUserevent(ChannelUserevent)
    case channelVarset(ChannelVarset)
    case channelHold(ChannelHold)
    case channelUnhold(ChannelSnapshot)
    case channelToneDetected(ChannelSnapshot)
    case channelTalkingStarted(ChannelSnapshot)
    case channelTalkingFinished(ChannelTalkingFinished)
    case channelTransfer(ChannelTransfer)
    case dial(Dial)

    // MARK: Bridges
    case bridgeCreated(BridgeSnapshot)
    case bridgeDestroyed(BridgeSnapshot)
    case bridgeMerged(BridgeMerged)
    case bridgeVideoSourceChanged(BridgeVideoSourceChanged)
    case bridgeBlindTransfer(BridgeBlindTransfer)
    case bridgeAttendedTransfer(BridgeAttendedTransfer)
    case channelEnteredBridge(ChannelEnteredBridge)
    case channelLeftBridge(ChannelLeftBridge)

    // MARK: Playbacks and recordings
    case playbackStarted(PlaybackSnapshot)
    case playbackContinuing(PlaybackSnapshot)
    case playbackFinished(PlaybackSnapshot)
    case recordingStarted(RecordingSnapshot)
    case recordingFinished(RecordingSnapshot)
    case recordingFailed(RecordingSnapshot)

    // MARK: Endpoints, devices, messages
    case endpointStateChange(EndpointStateChange)
    case contactStatusChange(ContactStatusChange)
    case peerStatusChange(PeerStatusChange)
    case deviceStateChanged(DeviceStateChanged)
    case textMessageReceived(TextMessageReceived)

    // MARK: Other
    /// The answer to a REST request sent over the events socket.
    case restResponse(RESTResponse)
    case callBroadcast(CallBroadcast)
    case callClaimed(CallClaimed)
    /// Asterisk's error message for a request over the socket that lacked parameters.
    case missingParams(MissingParams)
    /// A type this version does not know; `raw` is the whole message as received.
    case unknown(type: String, raw: Data)
}
