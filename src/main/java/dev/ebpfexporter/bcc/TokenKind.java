package dev.ebpfexporter.bcc;

/** The lexical classes of C the rewriter needs to tell apart. */
public enum TokenKind {
    /** Identifiers and keywords. */
    IDENTIFIER,
    /** Integer and floating literals, suffixes included. */
    NUMBER,
    /** A string literal, quotes and escapes included. */
    STRING,
    /** A character literal, quotes and escapes included. */
    CHAR,
    /** Operators and separators, longest match first ({@code ->}, {@code <<=}, ...). */
    PUNCTUATION,
    /** {@code // ...} or {@code /* ... *}{@code /}. */
    COMMENT,
    /** A whole preprocessor line, continuation lines included. */
    PREPROCESSOR,
    /** Spaces, tabs and newlines. */
    WHITESPACE;

    /** Whether the rewriter looks at tokens of this kind (comments and blanks it only copies). */
    public boolean significant() {
        return this != COMMENT && this != WHITESPACE;
    }
}
