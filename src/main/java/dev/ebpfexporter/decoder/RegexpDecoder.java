package dev.ebpfexporter.decoder;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.List;

/**
 * {@code regexp}: keeps the key only if one of the regexps matches somewhere in the input, trying
 * them in order. The label becomes what matched: the capture group if the regexp has exactly one,
 * the whole match if it has none. As in the reference, a match whose single group took no part,
 * or of a regexp with several groups, does not count. No match drops the key.
 *
 * <p>Regexps are RE2 (re2j), the syntax and semantics of Go's regexp package that the reference uses:
 * matching takes time linear in the input, so no pattern can make a scrape backtrack for ever.
 */
final class RegexpDecoder implements Decoder {
    private final List<Pattern> patterns;

    RegexpDecoder(List<Pattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    @Override
    public byte[] decode(byte[] in) throws SkipKeyException {
        String text = Inputs.text(in);
        for (Pattern pattern : patterns) {
            Matcher matcher = pattern.matcher(text);
            if (!matcher.find()) {
                continue;
            }
            String kept = switch (matcher.groupCount()) {
                case 0 -> matcher.group();
                case 1 -> matcher.group(1);
                default -> null;
            };
            if (kept != null) {
                return Inputs.bytes(kept);
            }
        }
        throw new SkipKeyException("no regexp matched");
    }
}
