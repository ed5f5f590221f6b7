package dev.ebpfexporter.bcc;

import dev.ebpfexporter.config.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * @return the flags to give clang: those of the config, each {@code -I} with its directory resolved, so
     *     clang reads the directory that was checked
     */
    static List<String> check(ProgramSource program) throws ConfigException {
        Path configDir = program.yamlFile().toAbsolutePath().getParent();
        List<String> checked = new ArrayList<>();
        for (String flag : program.cflags()) {
            if (DEFINE.matcher(flag).matches() || UNDEFINE.matcher(flag).matches() || WARNING.matcher(flag).matches()
                    || OPTIMIZE.matcher(flag).matches() || STANDARD.matcher(flag).matches()) {
                checked.add(flag);
                continue;
            }
            if (flag.startsWith("-I") && flag.length() > 2) {
                checked.add("-I" + includeDirectory(program, flag, configDir));
                continue;
            }
            throw error(program, flag, "is not allowed: " + ALLOWED);
        }
        return List.copyOf(checked);
    }

    /**
     * The directory of {@code -I<dir>}, resolved as the kernel resolves it: each link followed before the
     * {@code ..} after it is applied ({@code inc-link/..} with {@code inc-link -> /etc} is {@code /}, not the
     * config directory, which is what removing {@code ..} first would say). It must exist and be the config
     * directory or below it.
     */
    private static Path includeDirectory(ProgramSource program, String flag, Path configDir) throws ConfigException {
        Path real;
        Path realConfigDir;
        try {
            realConfigDir = configDir.toRealPath();
            real = configDir.resolve(flag.substring(2)).toRealPath();
        } catch (IOException e) {
            ConfigException error = error(program, flag, e instanceof NoSuchFileException ? "does not exist"
                    : "cannot be resolved: " + e.getMessage());
            error.initCause(e);
            throw error;
        }
        if (!real.startsWith(realConfigDir)) {
            throw error(program, flag, "is outside the config directory " + configDir);
        }
        if (!Files.isDirectory(real)) {
            throw error(program, flag, "is not a directory");
        }
        return real;
    }

    private static ConfigException error(ProgramSource program, String flag, String problem) {
        return new ConfigException(program.yamlFile() + ": program \"" + program.name() + "\": cflags: \"" + flag
                + "\" " + problem);
    }
}
