/// The small widgets around the screens: progress bar, key hints, dialog, help overlay, status line, spinner.

/// A horizontal bar filled to a fraction, with text after it.
public enum ProgressBar {
    /// `[██████░░░░]` of exactly `width` cells (brackets included); eighths make the edge smooth.
    public static func bar(fraction: Double, width: Int) -> String {
        let inner = max(0, width - 2)
        let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let eighths = Int((f * Double(inner) * 8).rounded(.down))
        let full = eighths / 8, rest = eighths % 8
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var s = String(repeating: "█", count: full)
        if full < inner { s += rest > 0 ? partials[rest] : "░" }
        s += String(repeating: "░", count: max(0, inner - DisplayWidth.of(s)))
        return "[" + s + "]"
    }

    /// `1,234/10,000  12.3%  85.2/s  ETA 1m43s`: the text that follows the bar.
    public static func caption(done: Int, total: Int, rate: Double?, etaSeconds: Double?) -> String {
        let pct = total > 0 ? Double(done) / Double(total) * 100 : 0
        var parts = ["\(Format.count(done))/\(Format.count(total))", Format.fixed(pct, 1) + "%"]
        if let rate { parts.append(Format.fixed(rate, 1) + "/s") }
        parts.append("ETA " + (etaSeconds.map(Format.duration) ?? "—"))
        return parts.joined(separator: "  ")
    }

    public static func render(fraction: Double, caption: String, into buffer: inout Buffer, x: Int, y: Int, width: Int, style: Style = .accent) {
        let captionWidth = DisplayWidth.of(caption)
        let barWidth = max(4, width - captionWidth - 1)
        buffer.put(bar(fraction: fraction, width: barWidth), x: x, y: y, style: style)
        buffer.put(caption, x: x + barWidth + 1, y: y, limit: max(0, width - barWidth - 1))
    }
}

/// Number, time and size formatting shared by the screens (pure: no locale, no clock).
public enum Format {
    /// `1234567` → `1,234,567`.
    public static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "—" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (value * scale).rounded() / scale
        let whole = Int(r.rounded(.towardZero))
        if decimals == 0 { return String(whole) }
        let frac = Int((abs(r - Double(whole)) * scale).rounded())
        let fracText = String(frac)
        let sign = r < 0 && whole == 0 ? "-" : ""
        return sign + String(whole) + "." + String(repeating: "0", count: max(0, decimals - fracText.count)) + fracText
    }

    /// `95` → `1m35s`, `4000` → `1h06m`, `7` → `7s`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "—" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format2: s % 60))s" }
        return "\(s / 3600)h\(String(format2: (s % 3600) / 60))m"
    }
}

extension String {
    /// Two digits, zero padded.
    init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
}

/// The bottom line: the current screen's bindings that are marked as hints, as `key label` pairs.
public enum KeyHintBar {
    public static func render(_ bindings: [KeyBinding], into buffer: inout Buffer, y: Int, width: Int) {
        buffer.fill(x: 0, y: y, width: width, height: 1, style: .hint)
        var x = 0
        let hints = bindings.filter(\.isHint)
        func itemWidth(_ b: KeyBinding) -> Int { DisplayWidth.of(b.label) + 1 + DisplayWidth.of(b.shortHelp) }
        // The way out and the way to every other key must always show: a narrow bar drops other hints first.
        var reserved = hints.filter { essential.contains($0.action) }.map { itemWidth($0) + 2 }.reduce(0, +)
        for binding in hints {
            let item = itemWidth(binding)
            let isEssential = essential.contains(binding.action)
            if isEssential { reserved -= item + 2 }
            if x + item + (isEssential ? 0 : reserved) > width { if isEssential { break } else { continue } }
            buffer.put(binding.label, x: x, y: y, style: .accent)
            buffer.put(binding.shortHelp, x: x + DisplayWidth.of(binding.label) + 1, y: y, style: .hint)
            x += item + 2
        }
    }

    /// Hints kept when the bar is too narrow for all of them.
    static let essential: Set<Action> = [.help, .back, .quit]
}

/// A centred box with a title, a wrapped message and buttons; the focused button is drawn selected.
public struct Dialog: Equatable, Sendable {
    public var title: String
    public var message: String
    public var buttons: [String]
    public var focused: Int
    public var isAlarming: Bool

    public init(title: String, message: String, buttons: [String], focused: Int = 0, isAlarming: Bool = false) {
        self.title = title; self.message = message; self.buttons = buttons; self.focused = focused; self.isAlarming = isAlarming
    }

    public func render(into buffer: inout Buffer, within area: Rect) {
        let boxWidth = min(area.width, max(30, min(64, area.width - 8)))
        let textLines = TextLayout.wrap(message, width: max(1, boxWidth - 4))
        let boxHeight = min(area.height, textLines.count + 5)
        let box = Rect(x: area.x + (area.width - boxWidth) / 2, y: area.y + (area.height - boxHeight) / 2, width: boxWidth, height: boxHeight)
        Frame.draw(box, title: title, into: &buffer, style: isAlarming ? .error : .accent)
        for (i, line) in textLines.prefix(max(0, box.height - 5)).enumerated() {
            buffer.put(line, x: box.x + 2, y: box.y + 2 + i, limit: box.width - 4)
        }
        let labels = buttons.map { "[ \($0) ]" }
        let total = labels.map(DisplayWidth.of).reduce(0, +) + 2 * max(0, labels.count - 1)
        var x = box.x + max(2, (box.width - total) / 2)
        for (i, label) in labels.enumerated() {
            x = buffer.put(label, x: x, y: box.maxY - 2, style: i == focused ? .selected : .bold, limit: box.maxX - 1 - x) + 2
        }
    }
}

/// A box outline with a title in the top edge; the inside is cleared.
public enum Frame {
    public static func draw(_ box: Rect, title: String, into buffer: inout Buffer, style: Style) {
        guard box.width >= 2, box.height >= 2 else { return }
        buffer.fill(x: box.x, y: box.y, width: box.width, height: box.height)
        buffer.put("┌" + String(repeating: "─", count: box.width - 2) + "┐", x: box.x, y: box.y, style: style)
        for y in (box.y + 1)..<(box.maxY - 1) {
            buffer.put("│", x: box.x, y: y, style: style)
            buffer.put("│", x: box.maxX - 1, y: y, style: style)
        }
        buffer.put("└" + String(repeating: "─", count: box.width - 2) + "┘", x: box.x, y: box.maxY - 1, style: style)
        if !title.isEmpty {
            buffer.put(" " + TextLayout.truncate(title, toWidth: box.width - 6) + " ", x: box.x + 2, y: box.y, style: .bold)
        }
    }
}

/// The `?` overlay: every binding of the screen with its full help, generated from the same table as dispatch.
public enum HelpOverlay {
    public static func render(title: String, bindings: [KeyBinding], into buffer: inout Buffer, within area: Rect) {
        let keyWidth = min(16, bindings.map { DisplayWidth.of($0.keysText) }.max() ?? 4)
        let width = min(area.width, max(40, min(72, area.width - 6)))
        let height = min(area.height, bindings.count + 4)
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
        Frame.draw(box, title: "Keys: \(title)  (any key closes)", into: &buffer, style: .accent)
        for (i, binding) in bindings.prefix(max(0, height - 4)).enumerated() {
            let y = box.y + 2 + i
            buffer.put(TextLayout.fit(binding.keysText, width: keyWidth), x: box.x + 2, y: y, style: .accent)
            buffer.put(TextLayout.truncate(binding.help, toWidth: box.width - keyWidth - 6), x: box.x + 4 + keyWidth, y: y)
        }
    }
}

/// A braille spinner; its frame comes from the tick count in state, never from the clock.
public enum Spinner {
    public static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    public static func frame(_ tick: Int) -> String { frames[((tick % frames.count) + frames.count) % frames.count] }
}
