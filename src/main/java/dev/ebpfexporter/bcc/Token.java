package dev.ebpfexporter.bcc;

/**
 * One token of C source.
 *
 * @param line 1-based line within the {@code code:} block where the token starts
 */
public record Token(TokenKind kind, String text, int line) {
    public boolean is(String s) {
        return kind != TokenKind.STRING && kind != TokenKind.CHAR && kind != TokenKind.COMMENT && text.equals(s);
    }

    public boolean isIdentifier() {
        return kind == TokenKind.IDENTIFIER;
    }

    /** Line on which the token ends (multi-line comments, continued preprocessor lines). */
    public int endLine() {
        return line + (int) text.chars().filter(c -> c == '\n').count();
    }
}
