package dev.ebpfexporter.bcc;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits C source into tokens, keeping every character: concatenating the texts of the tokens gives
 * the input back. Lines are counted from 1.
 */
public final class CTokenizer {
    private static final String[] PUNCTUATORS = {
        "...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
        "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "##",
    };

    private final String src;
    private int pos;
    private int line = 1;
    /** True until something other than blanks is seen on the current line: where a {@code #} starts a directive. */
    private boolean lineStart = true;

    private CTokenizer(String src) {
        this.src = src;
    }

    public static List<Token> tokenize(String source) {
        return new CTokenizer(source).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (pos < src.length()) {
            int start = pos;
            int startLine = line;
            TokenKind kind = next();
            String text = src.substring(start, pos);
            tokens.add(new Token(kind, text, startLine));
            line += (int) text.chars().filter(c -> c == '\n').count();
            if (text.indexOf('\n') >= 0) {
                lineStart = true;
            } else if (kind != TokenKind.WHITESPACE && kind != TokenKind.COMMENT) {
                lineStart = false;
            }
            if (kind == TokenKind.PREPROCESSOR) {
                lineStart = true;
            }
        }
        return tokens;
    }

    private TokenKind next() {
        char c = src.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b') {
            while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
                pos++;
            }
            return TokenKind.WHITESPACE;
        }
        if (c == '/' && peek(1) == '/') {
            skipLineComment();
            return TokenKind.COMMENT;
        }
        if (c == '/' && peek(1) == '*') {
            int end = src.indexOf("*/", pos + 2);
            pos = end < 0 ? src.length() : end + 2;
            return TokenKind.COMMENT;
        }
        if (c == '#' && lineStart) {
            skipDirective();
            return TokenKind.PREPROCESSOR;
        }
        if (c == '"' || c == '\'') {
            skipQuoted(c);
            return c == '"' ? TokenKind.STRING : TokenKind.CHAR;
        }
        if (isIdentStart(c)) {
            // Encoding prefixes of literals: L"..", u8"..", U'..'
            int p = pos;
            while (p < src.length() && isIdentPart(src.charAt(p))) {
                p++;
            }
            String word = src.substring(pos, p);
            if (p < src.length() && (src.charAt(p) == '"' || src.charAt(p) == '\'')
                    && (word.equals("L") || word.equals("u") || word.equals("U") || word.equals("u8"))) {
                char q = src.charAt(p);
                pos = p;
                skipQuoted(q);
                return q == '"' ? TokenKind.STRING : TokenKind.CHAR;
            }
            pos = p;
            return TokenKind.IDENTIFIER;
        }
        if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
            skipNumber();
            return TokenKind.NUMBER;
        }
        for (String p : PUNCTUATORS) {
            if (src.startsWith(p, pos)) {
                pos += p.length();
                return TokenKind.PUNCTUATION;
            }
        }
        pos++;
        return TokenKind.PUNCTUATION;
    }

    private char peek(int ahead) {
        int p = pos + ahead;
        return p < src.length() ? src.charAt(p) : '\0';
    }

    private void skipLineComment() {
        // A backslash before the newline continues a // comment onto the next line.
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                if (pos > 0 && src.charAt(pos - 1) == '\\') {
                    pos++;
                    continue;
                }
                return;
            }
            pos++;
        }
    }

    private void skipDirective() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\\' && peek(1) == '\n') {
                pos += 2;
            } else if (c == '\\' && peek(1) == '\r' && peek(2) == '\n') {
                pos += 3;
            } else if (c == '\n') {
                return;
            } else if (c == '/' && peek(1) == '*') {
                int end = src.indexOf("*/", pos + 2);
                pos = end < 0 ? src.length() : end + 2;
            } else if (c == '"' || c == '\'') {
                skipQuoted(c);
            } else {
                pos++;
            }
        }
    }

    /** Skips a quoted literal; an unterminated one ends at the end of its line, as a compiler would complain. */
    private void skipQuoted(char quote) {
        pos++;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\\' && pos + 1 < src.length()) {
                pos += 2;
            } else if (c == quote) {
                pos++;
                return;
            } else if (c == '\n') {
                return;
            } else {
                pos++;
            }
        }
    }

    private void skipNumber() {
        // pp-number: digits, letters, '.', and exponent signs after e/E/p/P.
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if ((c == '+' || c == '-') && "eEpP".indexOf(src.charAt(pos - 1)) >= 0) {
                pos++;
            } else if (isIdentPart(c) || c == '.' || c == '\'') {
                pos++;
            } else {
                return;
            }
        }
    }

    private static boolean isIdentStart(char c) {
        return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }
}
