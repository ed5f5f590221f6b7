package dev.ebpfexporter.bcc;

import dev.ebpfexporter.config.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The {@code cflags} a v1 config may give clang, which runs as root: macros, warnings, optimisation, the C
 * standard, and include directories inside the config's own directory. Anything else could make clang load
 * code ({@code -fplugin}, {@code -Xclang -load}), read other files ({@code @file}, {@code --sysroot},
 * {@code -B}) or write them ({@code -o}), so it is refused by name before clang starts.
 */
final class CompilerFlags {
    static final String ALLOWED = "only -D, -U, -I (inside the config directory), -W, -O and -std= are accepted";
    private static final Pattern DEFINE = Pattern.compile("-D[A-Za-z_][A-Za-z0-9_]*(=.*)?", Pattern.DOTALL);
    private static final Pattern UNDEFINE = Pattern.compile("-U[A-Za-z_][A-Za-z0-9_]*");
    /** No comma: {@code -Wl,}, {@code -Wa,} and {@code -Wp,} pass options on to other tools. */
    private static final Pattern WARNING = Pattern.compile("-W[A-Za-z0-9][A-Za-z0-9_=+-]*");
    private static final Pattern OPTIMIZE = Pattern.compile("-O([0-3sgz]|fast)?");
    private static final Pattern STANDARD = Pattern.compile("-std=[A-Za-z0-9+]+");

    private CompilerFlags() {
    }

    static void check(ProgramSource program) throws ConfigException {
        Path configDir = program.yamlFile().toAbsolutePath().getParent();
        for (String flag : program.cflags()) {
            if (DEFINE.matcher(flag).matches() || UNDEFINE.matcher(flag).matches() || WARNING.matcher(flag).matches()
                    || OPTIMIZE.matcher(flag).matches() || STANDARD.matcher(flag).matches()) {
                continue;
            }
            if (flag.startsWith("-I") && flag.length() > 2) {
                if (!inside(configDir.resolve(flag.substring(2)), configDir)) {
                    throw error(program, flag, "is outside the config directory " + configDir);
                }
                continue;
            }
            throw error(program, flag, "is not allowed: " + ALLOWED);
        }
    }

    /** Whether {@code dir}, links resolved, is {@code configDir} or below it. */
    private static boolean inside(Path dir, Path configDir) {
        try {
            Path real = dir.normalize();
            if (Files.exists(real)) {
                real = real.toRealPath();
            }
            return real.startsWith(configDir.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private static ConfigException error(ProgramSource program, String flag, String problem) {
        return new ConfigException(program.yamlFile() + ": program \"" + program.name() + "\": cflags: \"" + flag
                + "\" " + problem);
    }
}
