import ClinicMCP
import Foundation
import MCP

// The clinic's MCP server over standard input and output (how ura starts a `command:` server).
// CLINIC_BOOKING_DELAY_MS makes bookings slow; CLINIC_BOOKINGS_FILE receives each booking.
let environment = ProcessInfo.processInfo.environment
let clinic = Clinic(
    bookingDelay: .milliseconds(Int(environment["CLINIC_BOOKING_DELAY_MS"] ?? "") ?? 0),
    bookingsFile: environment["CLINIC_BOOKINGS_FILE"])
let server = await clinic.makeServer()
try await server.start(transport: StdioTransport())
await server.waitUntilCompleted()
