package dev.ebpfexporter.decoder;

import java.util.HexFormat;

/**
 * {@code inet_ip}: an address in network byte order as text, the way Go's {@code net.IP} prints it:
 * 4 bytes and IPv4-mapped 16 bytes as dotted quads, other 16 bytes as RFC 5952 IPv6 (longest run
 * of two or more zero groups, the first on a tie, shortened to {@code ::}), no bytes as
 * {@code <nil>}, any other length as {@code ?} and hex.
 */
final class InetIpDecoder implements Decoder {
    @Override
    public byte[] decode(byte[] in) {
        return Inputs.bytes(format(in));
    }

    static String format(byte[] ip) {
        return switch (ip.length) {
            case 0 -> "<nil>";
            case 4 -> dotted(ip, 0);
            case 16 -> isV4Mapped(ip) ? dotted(ip, 12) : v6(ip);
            default -> "?" + HexFormat.of().formatHex(ip);
        };
    }

    private static boolean isV4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }

    private static String dotted(byte[] ip, int from) {
        return Byte.toUnsignedInt(ip[from]) + "." + Byte.toUnsignedInt(ip[from + 1]) + "."
                + Byte.toUnsignedInt(ip[from + 2]) + "." + Byte.toUnsignedInt(ip[from + 3]);
    }

    private static String v6(byte[] ip) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = Byte.toUnsignedInt(ip[2 * i]) << 8 | Byte.toUnsignedInt(ip[2 * i + 1]);
        }
        int zeroStart = -1;
        int zeroEnd = -1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i >= 2 && j - i > zeroEnd - zeroStart) {
                zeroStart = i;
                zeroEnd = j;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == zeroStart) {
                text.append("::");
                i = zeroEnd - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
