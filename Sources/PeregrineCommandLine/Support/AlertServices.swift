import Foundation
import PeregrineAlpaca
import PeregrineData
import PeregrineLive
import PeregrineServer
import ServiceLifecycle

/// The `[alerts]` table of a trade or run configuration turned into running parts: the notifier on
/// the bots' telemetry and, for Telegram with commands, the command poller, each as a service of the
/// run's group.
enum AlertServices {
    /// The file's alert settings, nil without an `[alerts]` table.
    static func settings(configuration path: String) throws -> AlertSettings? {
        do { return try AlertSettings.load(path: path) } catch { throw CLIFailure(error.description) }
    }

    static func services(_ settings: AlertSettings, hub: TelemetryHub, api: ControlAPI,
                         log: @escaping @Sendable (String) -> Void) -> [any Service] {
        let notifier = Notifier(settings: settings, transport: AsyncHTTPTransport(), log: log)
        notifier.observe(hub)
        var services: [any Service] = [BackgroundService { await notifier.run() } onStop: { notifier.stop() }]
        if settings.dailySummary != nil {
            services.append(BackgroundService { await notifier.runDailySummary { await TelegramCommands.summary(api) } } onStop: {})
        }
        if settings.events.contains(.disconnect) {
            services.append(BackgroundService { await notifier.runDisconnectWatch() } onStop: {})
        }
        if let telegram = settings.telegram, telegram.commands {
            let commands = TelegramCommands(settings: telegram, api: api, transport: AsyncHTTPTransport(timeoutSeconds: 35), log: log)
            services.append(BackgroundService { await commands.run() } onStop: {})
        }
        return services
    }
}

/// Work that runs beside the bots until the group shuts down (then it is cancelled).
struct BackgroundService: Service {
    let body: @Sendable () async -> Void
    let onStop: @Sendable () -> Void

    init(_ body: @escaping @Sendable () async -> Void, onStop: @escaping @Sendable () -> Void) {
        self.body = body
        self.onStop = onStop
    }

    func run() async throws {
        let task = Task { await body() }
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        } onGracefulShutdown: {
            onStop()
            task.cancel()
        }
    }
}
