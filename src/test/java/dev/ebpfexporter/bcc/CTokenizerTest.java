package dev.ebpfexporter.bcc;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class CTokenizerTest {

    private static List<Token> significant(String src) {
        return CTokenizer.tokenize(src).stream().filter(t -> t.kind().significant()).toList();
    }

    private static String joined(List<Token> tokens) {
        return tokens.stream().map(Token::text).collect(Collectors.joining());
    }

    @Test
    void concatenatingTokensGivesTheInputBack() {
        String src = """
                #include <linux/sched.h>
                BPF_HASH(counts, u64); /* a /* comment */
                int f(struct pt_regs *ctx) { char s[] = "x\\"y"; return 'a' + 0x1fULL + 1e-5 + .5f; }
                """;
        assertThat(joined(CTokenizer.tokenize(src))).isEqualTo(src);
    }

    @Test
    void commentsContainingMacrosAreOneToken() {
        List<Token> tokens = CTokenizer.tokenize("// BPF_HASH(x, u64);\n/* BPF_PERF_OUTPUT(\n events) */ int x;");
        assertThat(tokens.get(0)).isEqualTo(new Token(TokenKind.COMMENT, "// BPF_HASH(x, u64);", 1));
        assertThat(tokens.get(2)).isEqualTo(new Token(TokenKind.COMMENT, "/* BPF_PERF_OUTPUT(\n events) */", 2));
        assertThat(tokens.stream().filter(Token::isIdentifier).map(Token::text)).containsExactly("int", "x");
        assertThat(tokens.get(4).line()).isEqualTo(3);
    }

    @Test
    void stringsWithEscapedQuotesAndParenthesesAreOneToken() {
        List<Token> tokens = significant("f(\"a \\\"(b)\\\" c)\", ')', '\\'', \"\\\\\");");
        assertThat(tokens).extracting(Token::kind).containsExactly(TokenKind.IDENTIFIER, TokenKind.PUNCTUATION,
                TokenKind.STRING, TokenKind.PUNCTUATION, TokenKind.CHAR, TokenKind.PUNCTUATION, TokenKind.CHAR,
                TokenKind.PUNCTUATION, TokenKind.STRING, TokenKind.PUNCTUATION, TokenKind.PUNCTUATION);
        assertThat(tokens.get(2).text()).isEqualTo("\"a \\\"(b)\\\" c)\"");
        assertThat(tokens.get(4).text()).isEqualTo("')'");
        assertThat(tokens.get(6).text()).isEqualTo("'\\''");
        assertThat(tokens.get(8).text()).isEqualTo("\"\\\\\"");
    }

    @Test
    void preprocessorLinesIncludeContinuationsAndOnlyStartAtLineStart() {
        List<Token> tokens = significant("  #define ADD(a, b) \\\n    ((a) + (b))\nint x = a # b;\n#if 1\n#endif");
        assertThat(tokens.getFirst()).isEqualTo(
                new Token(TokenKind.PREPROCESSOR, "#define ADD(a, b) \\\n    ((a) + (b))", 1));
        assertThat(tokens.get(1)).isEqualTo(new Token(TokenKind.IDENTIFIER, "int", 3));
        assertThat(tokens.stream().filter(t -> t.text().equals("#")).findFirst().orElseThrow().kind())
                .isEqualTo(TokenKind.PUNCTUATION);
        assertThat(tokens.get(tokens.size() - 2)).isEqualTo(new Token(TokenKind.PREPROCESSOR, "#if 1", 4));
        assertThat(tokens.getLast()).isEqualTo(new Token(TokenKind.PREPROCESSOR, "#endif", 5));
    }

    @Test
    void directiveAfterACommentOnItsLineIsStillADirective() {
        List<Token> tokens = significant("/* x */ #include <linux/fs.h>\n");
        assertThat(tokens.getFirst().kind()).isEqualTo(TokenKind.PREPROCESSOR);
    }

    @Test
    void numbersAndLongestMatchPunctuation() {
        List<Token> tokens = significant("a->b <<= 0x1fULL >> 1e+5 ... .5f x++ != y");
        assertThat(tokens).extracting(Token::text).containsExactly("a", "->", "b", "<<=", "0x1fULL", ">>", "1e+5",
                "...", ".5f", "x", "++", "!=", "y");
        assertThat(tokens.get(4).kind()).isEqualTo(TokenKind.NUMBER);
        assertThat(tokens.get(6).kind()).isEqualTo(TokenKind.NUMBER);
    }

    @Test
    void linesAreCountedAcrossMultiLineCalls() {
        List<Token> tokens = significant("counts.increment(\n    bpf_log2l(\n        delta)\n);");
        assertThat(tokens).filteredOn(t -> t.text().equals("delta")).singleElement()
                .extracting(Token::line).isEqualTo(3);
        assertThat(tokens.getLast().line()).isEqualTo(4);
    }

    @Test
    void unterminatedLiteralsAndCommentsDoNotLoop() {
        assertThat(joined(CTokenizer.tokenize("\"abc\nx /* y"))).isEqualTo("\"abc\nx /* y");
    }
}
