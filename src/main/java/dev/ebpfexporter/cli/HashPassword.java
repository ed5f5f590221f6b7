package dev.ebpfexporter.cli;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code ebpf_exporter hash-password [--cost=N]}: reads a password from standard input (its first
 * line, without the line break) and prints its bcrypt hash, for {@code basic_auth_users} of
 * {@code --web.config.file}. The password never appears on a command line or in the shell history.
 */
final class HashPassword {
    static final String NAME = "hash-password";
    static final int DEFAULT_COST = 10;
    private static final int MAX_PASSWORD_BYTES = 72; // bcrypt ignores the rest; refuse rather than truncate

    private HashPassword() {
    }

    /** Exit 0 with the hash on {@code out}; 1 with one line on {@code err} (a bad flag too, as the exporter's own). */
    static int run(InputStream in, PrintStream out, PrintStream err, String... args) {
        int cost = DEFAULT_COST;
        for (String arg : args) {
            if (arg.equals("-h") || arg.equals("--help")) {
                out.println("Usage: ebpf_exporter " + NAME + " [--cost=N] < password-file");
                out.println("Reads a password from standard input (first line) and prints its bcrypt hash for");
                out.println("basic_auth_users in the --web.config.file. --cost: 4 to 31 (default " + DEFAULT_COST + ").");
                return 0;
            }
            if (arg.startsWith("--cost=")) {
                try {
                    cost = Integer.parseInt(arg.substring("--cost=".length()));
                } catch (NumberFormatException e) {
                    cost = -1; // out of range: refused just below with the text given
                }
                if (cost < 4 || cost > 31) {
                    err.println("ebpf_exporter " + NAME + ": --cost must be a number from 4 to 31, got \""
                            + arg.substring("--cost=".length()) + "\"");
                    return 1;
                }
            } else {
                err.println("ebpf_exporter " + NAME + ": unknown argument \"" + arg + "\"; it reads the password from "
                        + "standard input: echo -n 'secret' | ebpf_exporter " + NAME);
                return 1;
            }
        }
        byte[] password;
        try {
            password = firstLine(in);
        } catch (IOException e) {
            // A command-line tool's one line on stderr; a broken stdin has no stack worth printing.
            err.println("ebpf_exporter " + NAME + ": cannot read standard input: " + e.getMessage());
            return 1;
        }
        try {
            if (password.length == 0) {
                err.println("ebpf_exporter " + NAME + ": no password on standard input "
                        + "(usage: echo -n 'secret' | ebpf_exporter " + NAME + ")");
                return 1;
            }
            if (password.length > MAX_PASSWORD_BYTES) {
                err.println("ebpf_exporter " + NAME + ": the password is " + password.length
                        + " bytes; bcrypt uses at most " + MAX_PASSWORD_BYTES);
                return 1;
            }
            // $2a$, as Go's bcrypt (which the reference checks hashes with) writes them.
            out.println(new String(BCrypt.with(BCrypt.Version.VERSION_2A).hash(cost, password), StandardCharsets.US_ASCII));
            return 0;
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    private static byte[] firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1 && b != '\n'; ) {
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
            bytes = Arrays.copyOf(bytes, bytes.length - 1);
        }
        return bytes;
    }
}
