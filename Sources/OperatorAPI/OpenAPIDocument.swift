/// The OpenAPI 3.1 description of the operator API, served at `/openapi.json`.
///
/// Kept in code rather than as a resource file so the `ura` binary needs nothing beside it.
/// `OpenAPICoverageTests` checks that its paths and methods are exactly the router's.
public enum OpenAPIDocument {
    /// The document as JSON text.
    public static let json = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "ura operator API",
        "version": "1.0.0",
        "description": "See and steer the calls ura is handling. Every route except /health/live needs 'Authorization: Bearer <OPERATOR_TOKEN>' when a token is configured; without one, only clients on 127.0.0.1 or ::1 are answered (others get 403). Errors are {\"error\":{\"code\",\"message\"}} with a stable code."
      },
      "components": {
        "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
        "parameters": {
          "CallID": { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }
        },
        "responses": {
          "Error": { "description": "An error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
          "Accepted": { "description": "The operation was started", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CallActionResult" } } } },
          "TooManyStreams": { "description": "OPERATOR_MAX_EVENT_STREAMS streams are open", "headers": { "Retry-After": { "schema": { "type": "integer" }, "description": "seconds" } }, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
          "EventStream": { "description": "Server-Sent Events: call_started, state_changed, transcript_partial, transcript_final, bot_speech, barge_in, latencies, call_ended, dropped", "content": { "text/event-stream": { "schema": {
            "type": "object", "description": "One message; data is the event's JSON object (snake_case keys, always call_id)", "required": ["event", "data"],
            "properties": {
              "event": { "type": "string", "enum": ["call_started", "state_changed", "transcript_partial", "transcript_final", "bot_speech", "barge_in", "latencies", "call_ended", "dropped"] },
              "data": { "type": "string", "contentMediaType": "application/json" } } } } } }
        },
        "schemas": {
          "Error": {
            "type": "object", "required": ["error"],
            "properties": { "error": { "type": "object", "required": ["code", "message"], "properties": {
              "code": { "type": "string", "enum": ["unauthorized", "forbidden", "rate_limited", "too_many_event_streams", "not_found", "method_not_allowed", "payload_too_large", "invalid_request", "invalid_parameter", "call_not_found", "call_ended", "call_elsewhere", "recording_not_found", "unavailable", "call_control_failed", "http_error", "internal"] },
              "message": { "type": "string" } } } }
          },
          "Outcome": { "type": "string", "enum": ["completed", "caller_hangup", "caller_gone", "operator_hangup", "transferred", "media_lost", "failed", "rejected", "unanswered", "shutdown", "lost"] },
          "CallSummary": {
            "type": "object", "required": ["id", "state", "bot", "started_at", "turn_count", "cost_total"],
            "properties": {
              "id": { "type": "string" }, "state": { "type": "string", "enum": ["active", "ended"] },
              "caller_number": { "type": "string" }, "bot": { "type": "string" },
              "started_at": { "type": "string", "format": "date-time" }, "ended_at": { "type": "string", "format": "date-time" },
              "outcome": { "$ref": "#/components/schemas/Outcome" }, "turn_count": { "type": "integer" }, "cost_total": { "type": "number" },
              "instance": { "type": "string", "description": "The ura instance (its ARI_APP) carrying or that carried the call" }
            }
          },
          "TurnLatencies": {
            "type": "object", "description": "Milliseconds from the end of the caller's speech",
            "properties": {
              "recognizer_final_ms": { "type": "integer" }, "first_brain_token_ms": { "type": "integer" },
              "first_synthesized_audio_ms": { "type": "integer" }, "first_rtp_packet_ms": { "type": "integer", "description": "voice-to-voice" },
              "barge_in_stop_ms": { "type": "integer" }
            }
          },
          "Turn": {
            "type": "object", "required": ["index", "started_at", "caller_transcript", "partial_count", "bot_text", "interrupted", "false_barge_in", "latencies"],
            "properties": {
              "index": { "type": "integer" }, "started_at": { "type": "string", "format": "date-time" },
              "caller_transcript": { "type": "string" }, "partial_count": { "type": "integer" }, "bot_text": { "type": "string" },
              "interrupted": { "type": "boolean" }, "false_barge_in": { "type": "boolean" },
              "cut_by": { "type": "string", "description": "What cut the turn short (absent when it ran to its end): barge_in, operator_say, bot_hangup, or how the call ended (caller_hangup, caller_gone, transferred, operator_hangup, shutdown, media_lost, failed)" },
              "latencies": { "$ref": "#/components/schemas/TurnLatencies" }
            }
          },
          "CallRecord": {
            "type": "object", "required": ["id", "channel_id", "bot", "started_at", "turns", "rtp", "cost", "timeline"],
            "properties": {
              "id": { "type": "string" }, "caller_number": { "type": "string" }, "channel_id": { "type": "string" }, "bot": { "type": "string" },
              "started_at": { "type": "string", "format": "date-time" }, "answered_at": { "type": "string", "format": "date-time" },
              "ended_at": { "type": "string", "format": "date-time" }, "outcome": { "$ref": "#/components/schemas/Outcome" },
              "turns": { "type": "array", "items": { "$ref": "#/components/schemas/Turn" } },
              "rtp": { "type": "object", "properties": { "received": { "type": "integer" }, "lost": { "type": "integer" }, "late": { "type": "integer" }, "jitter_ms": { "type": "number" } } },
              "cost": { "type": "object", "properties": {
                "currency": { "type": "string" }, "total": { "type": "number" },
                "lines": { "type": "array", "items": { "type": "object", "properties": {
                  "provider": { "type": "string" }, "item": { "type": "string" }, "quantity": { "type": "number" }, "unit": { "type": "string" }, "amount": { "type": "number" } } } } } },
              "timeline": { "type": "array", "items": { "type": "object", "required": ["at", "kind"], "properties": {
                "at": { "type": "string", "format": "date-time" }, "kind": { "type": "string" }, "detail": { "type": "string" } } } },
              "instance": { "type": "string", "description": "The ura instance (its ARI_APP) carrying or that carried the call" },
              "owner_url": { "type": "string", "description": "That instance's OPERATOR_ADVERTISE_URL" },
              "recording": { "type": "object", "required": ["path", "duration_seconds", "mode"], "description": "The call's WAV file (RECORDING), once it has ended", "properties": {
                "path": { "type": "string" }, "duration_seconds": { "type": "number" }, "mode": { "type": "string", "enum": ["caller", "both"] } } }
            }
          },
          "CallActionResult": {
            "type": "object", "required": ["id", "status"],
            "properties": { "id": { "type": "string" }, "status": { "type": "string", "enum": ["hanging_up", "speaking", "queued", "transferring", "originating"] } }
          }
        }
      },
      "security": [{ "bearer": [] }],
      "paths": {
        "/health/live": {
          "get": { "summary": "The process is up", "security": [], "responses": { "200": { "description": "Live" } } }
        },
        "/health/ready": {
          "get": { "summary": "ARI events socket connected, Asterisk answering ping, and not draining", "responses": {
            "200": { "description": "Ready" }, "503": { "description": "Not ready; checks say which part failed" }, "401": { "$ref": "#/components/responses/Error" } } }
        },
        "/v1/calls": {
          "get": {
            "summary": "Active and recent calls, newest first",
            "parameters": [
              { "name": "state", "in": "query", "schema": { "type": "string", "enum": ["active", "recent", "all"], "default": "all" } },
              { "name": "from", "in": "query", "schema": { "type": "string", "format": "date-time" }, "description": "started at or after" },
              { "name": "to", "in": "query", "schema": { "type": "string", "format": "date-time" }, "description": "started before" },
              { "name": "outcome", "in": "query", "schema": { "$ref": "#/components/schemas/Outcome" } },
              { "name": "caller", "in": "query", "schema": { "type": "string" } },
              { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 500, "default": 50 } }
            ],
            "responses": {
              "200": { "description": "Calls", "content": { "application/json": { "schema": { "type": "object", "required": ["calls"], "properties": { "calls": { "type": "array", "items": { "$ref": "#/components/schemas/CallSummary" } } } } } } },
              "400": { "$ref": "#/components/responses/Error" }, "401": { "$ref": "#/components/responses/Error" }
            }
          },
          "post": {
            "summary": "Originate an outbound call that enters the bot when answered",
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
              "type": "object", "required": ["endpoint", "bot"],
              "properties": {
                "endpoint": { "type": "string", "maxLength": 128, "pattern": "^[A-Za-z0-9]+/[!-+\\--\\[\\]-~]+$", "example": "PJSIP/1001" },
                "bot": { "type": "string", "pattern": "^(loopback|echo|llm|flow:.+)$", "description": "loopback, echo, flow:<name> (a flow in FLOWS_DIR) or llm", "example": "flow:clinica" },
                "caller_id": { "type": ["string", "null"], "minLength": 1, "maxLength": 80 },
                "variables": { "type": ["object", "null"], "propertyNames": { "pattern": "^[A-Za-z0-9_]+$" }, "additionalProperties": { "type": "string" } }
              } } } } },
            "responses": {
              "201": { "description": "Originating; Location names the call", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CallActionResult" } } } },
              "400": { "$ref": "#/components/responses/Error" }, "401": { "$ref": "#/components/responses/Error" },
              "413": { "$ref": "#/components/responses/Error" },
              "429": { "description": "Too many calls placed (OPERATOR_ORIGINATE_PER_MINUTE)", "headers": { "Retry-After": { "schema": { "type": "integer" }, "description": "seconds" } }, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "502": { "$ref": "#/components/responses/Error" }, "503": { "$ref": "#/components/responses/Error" }
            }
          }
        },
        "/v1/calls/{id}": {
          "parameters": [{ "$ref": "#/components/parameters/CallID" }],
          "get": {
            "summary": "One call: state, caller, timeline, transcript, per-turn latencies, RTP statistics, cost",
            "responses": {
              "200": { "description": "The call", "content": { "application/json": { "schema": { "type": "object", "required": ["state", "call"], "properties": {
                "state": { "type": "string", "enum": ["active", "ended"] }, "call": { "$ref": "#/components/schemas/CallRecord" } } } } } },
              "401": { "$ref": "#/components/responses/Error" }, "404": { "$ref": "#/components/responses/Error" }
            }
          },
          "delete": {
            "summary": "Hang the call up",
            "responses": { "202": { "$ref": "#/components/responses/Accepted" }, "401": { "$ref": "#/components/responses/Error" },
              "404": { "$ref": "#/components/responses/Error" }, "409": { "$ref": "#/components/responses/Error" },
              "502": { "$ref": "#/components/responses/Error" }, "503": { "$ref": "#/components/responses/Error" } }
          }
        },
        "/v1/calls/{id}/recording": {
          "parameters": [{ "$ref": "#/components/parameters/CallID" }],
          "get": {
            "summary": "The call's recording (RECORDING), a WAV file, once the call has ended",
            "responses": { "200": { "description": "16-bit PCM WAV: one channel (caller) or two (caller left, bot right)", "content": { "audio/wav": { "schema": { "type": "string", "format": "binary" } } } },
              "401": { "$ref": "#/components/responses/Error" }, "404": { "$ref": "#/components/responses/Error" } }
          }
        },
        "/v1/calls/{id}/say": {
          "parameters": [{ "$ref": "#/components/parameters/CallID" }],
          "post": {
            "summary": "Speak a text on the call, now (interrupt) or after what the bot is saying",
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
              "type": "object", "required": ["text"],
              "properties": { "text": { "type": "string", "minLength": 1, "maxLength": 2000, "pattern": "\\S" }, "interrupt": { "type": ["boolean", "null"], "default": false } } } } } },
            "responses": { "202": { "$ref": "#/components/responses/Accepted" }, "400": { "$ref": "#/components/responses/Error" },
              "401": { "$ref": "#/components/responses/Error" }, "404": { "$ref": "#/components/responses/Error" }, "409": { "$ref": "#/components/responses/Error" },
              "413": { "$ref": "#/components/responses/Error" }, "502": { "$ref": "#/components/responses/Error" }, "503": { "$ref": "#/components/responses/Error" } }
          }
        },
        "/v1/calls/{id}/transfer": {
          "parameters": [{ "$ref": "#/components/parameters/CallID" }],
          "post": {
            "summary": "Transfer the caller to an extension or endpoint",
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
              "type": "object", "required": ["destination"], "properties": { "destination": { "type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[!-\\[\\]-~]+$", "description": "[context,]exten[,priority] or an endpoint", "example": "PJSIP/1002" } } } } } },
            "responses": { "202": { "$ref": "#/components/responses/Accepted" }, "400": { "$ref": "#/components/responses/Error" },
              "401": { "$ref": "#/components/responses/Error" }, "404": { "$ref": "#/components/responses/Error" }, "409": { "$ref": "#/components/responses/Error" },
              "413": { "$ref": "#/components/responses/Error" }, "502": { "$ref": "#/components/responses/Error" }, "503": { "$ref": "#/components/responses/Error" } }
          }
        },
        "/v1/calls/{id}/events": {
          "parameters": [{ "$ref": "#/components/parameters/CallID" }],
          "get": {
            "summary": "Live events of one call; the stream ends after call_ended",
            "responses": { "200": { "$ref": "#/components/responses/EventStream" }, "401": { "$ref": "#/components/responses/Error" },
              "404": { "$ref": "#/components/responses/Error" }, "409": { "$ref": "#/components/responses/Error" },
              "503": { "$ref": "#/components/responses/TooManyStreams" } }
          }
        },
        "/v1/events": {
          "get": { "summary": "Live events of every call", "responses": { "200": { "$ref": "#/components/responses/EventStream" }, "401": { "$ref": "#/components/responses/Error" },
            "503": { "$ref": "#/components/responses/TooManyStreams" } } }
        },
        "/metrics": {
          "get": { "summary": "Prometheus metrics (text exposition format 0.0.4)", "responses": {
            "200": { "description": "Metrics", "content": { "text/plain": { "schema": { "type": "string" } } } }, "401": { "$ref": "#/components/responses/Error" } } }
        },
        "/openapi.json": {
          "get": { "summary": "This document", "responses": { "200": { "description": "OpenAPI document" }, "401": { "$ref": "#/components/responses/Error" } } }
        }
      }
    }
    """#
}
