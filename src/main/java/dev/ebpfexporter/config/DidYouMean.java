package dev.ebpfexporter.config;

import java.util.Collection;
import java.util.Comparator;

/** Suggests the closest known word for a misspelt one, by edit distance. */
public final class DidYouMean {
    private DidYouMean() {
    }

    /** {@code " (did you mean "labels"?)"}, or {@code " (expected one of: a, b)"} when nothing is close. */
    public static String suggest(String word, Collection<String> known) {
        String best = known.stream()
                .min(Comparator.comparingInt((String k) -> distance(word, k)).thenComparing(k -> k))
                .orElse(null);
        if (best != null && distance(word, best) <= Math.max(1, Math.min(3, best.length() / 3))) {
            return " (did you mean " + YamlNode.quote(best) + "?)";
        }
        return " (expected one of: " + String.join(", ", known.stream().sorted().toList()) + ")";
    }

    /** Levenshtein distance, counting an adjacent swap as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
