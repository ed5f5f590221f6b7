package dev.ebpfexporter.exposition;

/**
 * Floats as the reference exporter writes them: Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}
 * (the shortest digits that read back as {@code v}; exponent form below 1e-4 and from 1e+06 on),
 * with client_golang's spellings {@code +Inf}, {@code -Inf}, {@code NaN} and {@code 0} for both
 * zeros. This is what {@code le="0.000512"} and {@code le="1.048576e+06"} must look like for a
 * query that names a bucket to keep matching. Integral values below 2^53 (every counter and
 * bucket count in practice) are written from their digits without allocating; other values take
 * their shortest digits from {@link Double#toString}, corrected where Java and Go pick differently.
 */
public final class GoFloat {
    private static final double TWO_TO_53 = 9007199254740992.0;

    private GoFloat() {
    }

    /** The Prometheus text format's spelling. */
    public static void append(ByteBuf out, double v) {
        if (!special(out, v)) {
            appendFinite(out, v);
        }
    }

    /**
     * The OpenMetrics spelling, as client_golang writes it: the same, with {@code .0} added when the
     * Go form has neither a point nor an exponent ({@code 1.0}, {@code 50.0}, {@code 1e+06}).
     */
    public static void appendOpenMetrics(ByteBuf out, double v) {
        int start = out.size();
        if (special(out, v) && !(v == 0)) {
            return;
        }
        if (v != 0) {
            appendFinite(out, v);
        }
        byte[] a = out.array();
        for (int i = start; i < out.size(); i++) {
            if (a[i] == '.' || a[i] == 'e') {
                return;
            }
        }
        out.put('.').put('0');
    }

    /** Go's text for {@code v}, for tests and for labels built once. */
    public static String format(double v) {
        ByteBuf out = new ByteBuf(32);
        append(out, v);
        return out.toString();
    }

    private static boolean special(ByteBuf out, double v) {
        if (Double.isNaN(v)) {
            out.ascii("NaN");
        } else if (v == Double.POSITIVE_INFINITY) {
            out.ascii("+Inf");
        } else if (v == Double.NEGATIVE_INFINITY) {
            out.ascii("-Inf");
        } else if (v == 0) {
            out.put('0');
        } else {
            return false;
        }
        return true;
    }

    private static void appendFinite(ByteBuf out, double v) {
        if (v < 0) {
            out.put('-');
            v = -v;
        }
        if (v < TWO_TO_53 && v == Math.rint(v)) {
            appendIntegral(out, (long) v);
            return;
        }
        // Every integer below 2^53 is exact, so its digits are its shortest form; anything else
        // takes the shortest digits Java finds.
        Digits digits = Digits.shortest(v);
        render(out, digits.digits, digits.nd, digits.dp);
    }

    private static void appendIntegral(ByteBuf out, long n) {
        int total = ByteBuf.digitCount(n);
        if (total <= 6) {
            out.digits(n); // exponent below 6: plain
            return;
        }
        // d.ddde+XX: the digits without trailing zeros, a point after the first.
        long significant = n;
        while (significant % 10 == 0) {
            significant /= 10;
        }
        int start = out.size();
        out.digits(significant);
        if (out.size() - start > 1) {
            out.insert(start + 1, (byte) '.');
        }
        out.put('e').put('+');
        if (total - 1 < 10) {
            out.put('0');
        }
        out.digits(total - 1);
    }

    /**
     * Go's 'g' with the shortest precision: digits {@code d[0..nd)} mean 0.d × 10^dp; the exponent
     * form is used when the decimal exponent (dp - 1) is below -4 or at least 6.
     */
    static void render(ByteBuf out, byte[] d, int nd, int dp) {
        int exp = dp - 1;
        if (exp < -4 || exp >= 6) {
            out.put(d[0]);
            if (nd > 1) {
                out.put('.').put(d, 1, nd - 1);
            }
            out.put('e').put(exp < 0 ? '-' : '+');
            int e = Math.abs(exp);
            if (e < 10) {
                out.put('0');
            }
            out.digits(e);
            return;
        }
        if (dp > 0) {
            for (int i = 0; i < dp; i++) {
                out.put(i < nd ? d[i] : (byte) '0');
            }
        } else {
            out.put('0');
        }
        int fraction = Math.max(nd - dp, 0);
        if (fraction > 0) {
            out.put('.');
            for (int i = 1; i <= fraction; i++) {
                int j = dp + i - 1;
                out.put(j >= 0 && j < nd ? d[j] : (byte) '0');
            }
        }
    }

    /** Shortest decimal digits of a positive finite double: 0.d[0..nd) × 10^dp. */
    private record Digits(byte[] digits, int nd, int dp) {
        static Digits shortest(double v) {
            Digits java = parse(Double.toString(v));
            if (java.nd == 2) {
                // Java picks among 1- and 2-digit decimals when one digit suffices (the closest of
                // them); Go always takes the shortest. Try the two 1-digit neighbours.
                Digits one = oneDigit(v, java);
                if (one != null) {
                    return one;
                }
            }
            return java;
        }

        private static Digits oneDigit(double v, Digits two) {
            int first = two.digits[0] - '0';
            Digits down = first == 0 ? null : new Digits(new byte[]{(byte) ('0' + first)}, 1, two.dp);
            Digits up = first == 9 ? new Digits(new byte[]{'1'}, 1, two.dp + 1)
                    : new Digits(new byte[]{(byte) ('0' + first + 1)}, 1, two.dp);
            boolean downOk = down != null && down.value() == v;
            boolean upOk = up.value() == v;
            if (downOk && upOk) {
                // Both read back as v (subnormals): the closer decimal, measured exactly.
                java.math.BigDecimal exact = new java.math.BigDecimal(v);
                return down.decimal().subtract(exact).abs().compareTo(up.decimal().subtract(exact).abs()) <= 0 ? down : up;
            }
            return downOk ? down : upOk ? up : null;
        }

        private double value() {
            return decimal().doubleValue();
        }

        private java.math.BigDecimal decimal() {
            return new java.math.BigDecimal("0." + new String(digits, 0, nd, java.nio.charset.StandardCharsets.US_ASCII)
                    + "E" + dp);
        }

        /** Parses Java's {@code 123.45} or {@code 1.2345E-7}. */
        static Digits parse(String s) {
            int e = s.indexOf('E');
            int exponent = e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10);
            int end = e < 0 ? s.length() : e;
            byte[] d = new byte[end];
            int nd = 0;
            int dp = 0;
            boolean point = false;
            for (int i = 0; i < end; i++) {
                char c = s.charAt(i);
                if (c == '.') {
                    point = true;
                    continue;
                }
                if (nd == 0 && c == '0') {
                    if (point) {
                        dp--; // a leading zero after the point moves the point right
                    }
                    continue;
                }
                d[nd++] = (byte) c;
                if (!point) {
                    dp++;
                }
            }
            while (nd > 1 && d[nd - 1] == '0') {
                nd--;
            }
            return new Digits(d, nd, dp + exponent);
        }
    }
}
