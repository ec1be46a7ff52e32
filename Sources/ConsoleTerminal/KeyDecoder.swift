import CNcurses
import ConsoleCore

/// Turns what `wget_wch` returned into the core's `Key`, or `nil` for input the console ignores.
///
/// Enter arrives as `\r` (raw mode with `nonl`), `\n` or `KEY_ENTER`; Backspace as `KEY_BACKSPACE`, DEL (127) or
/// ^H (8), depending on the terminal; Home/End also as the keypad's A1/C1 or find/select on some terminals.
enum KeyDecoder {
    /// A character read by `wget_wch` (status `OK`).
    static func decode(character code: UInt32) -> Key? {
        switch code {
        case 13, 10: return .enter
        case 27: return .escape
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(code - 1) + UInt8(ascii: "a"))))
        case 0, 28...31: return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .char(Character(scalar))
        }
    }

    /// A function-key code read by `wget_wch` (status `KEY_CODE_YES`), other than resize and mouse.
    static func decode(keyCode code: Int32) -> Key? {
        switch code {
        case cn_key_up(): return .up
        case cn_key_down(): return .down
        case cn_key_left(): return .left
        case cn_key_right(): return .right
        case cn_key_ppage(), cn_key_a3(): return .pageUp
        case cn_key_npage(), cn_key_c3(): return .pageDown
        case cn_key_home(), cn_key_a1(), cn_key_find(): return .home
        case cn_key_end(), cn_key_c1(), cn_key_select(): return .end
        case cn_key_enter(): return .enter
        case cn_key_backspace(): return .backspace
        case cn_key_dc(): return .delete
        case cn_key_btab(): return .backTab
        case cn_key_f(1)...cn_key_f(24): return .function(Int(code - cn_key_f(0)))
        default: return nil
        }
    }
}
