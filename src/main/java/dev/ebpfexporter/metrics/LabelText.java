package dev.ebpfexporter.metrics;

import java.nio.charset.StandardCharsets;

/**
 * A decoded label value as the text Prometheus gets: valid UTF-8 (a malformed byte sequence becomes
 * U+FFFD) with control characters written as {@code \xHH}, so a raw key byte such as NUL (a
 * label without decoders over a number, a string without its terminator) never reaches
 * the exposition as itself. Newline and tab stay: {@code kstack} joins frames with newline, as the
 * reference does, and every exposition format escapes it; kallsyms writes a module's or a BPF
 * program's symbol as {@code name\t[module]}, which {@code ksym} and {@code kstack} keep, as the
 * reference does (a tab needs no escape in any exposition format).
 */
final class LabelText {
    private LabelText() {
    }

    /** Whether {@code value} is exported as it is: UTF-8 without control characters other than newline and tab. */
    static boolean isText(byte[] value) {
        boolean ascii = true;
        for (byte b : value) {
            if (b < 0) {
                ascii = false;
            } else if (b < 0x20 && b != '\n' && b != '\t' || b == 0x7f) {
                return false;
            }
        }
        if (ascii) {
            return true;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(value)).toString();
            return text.chars().noneMatch(c -> c >= 0x80 && c < 0xa0);
        } catch (java.nio.charset.CharacterCodingException e) {
            return false; // malformed: exported with U+FFFD in its place
        }
    }

    static String of(byte[] value) {
        boolean printableAscii = true;
        for (byte b : value) {
            if (b < 0x20 && b != '\n' && b != '\t' || b == 0x7f) { // negative: not ASCII
                printableAscii = false;
                break;
            }
        }
        if (printableAscii) {
            return new String(value, StandardCharsets.US_ASCII);
        }
        String text = new String(value, StandardCharsets.UTF_8); // malformed input becomes U+FFFD
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
