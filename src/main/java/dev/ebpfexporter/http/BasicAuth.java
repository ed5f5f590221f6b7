package dev.ebpfexporter.http;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@code basic_auth_users}: checks an {@code Authorization: Basic} header against bcrypt hashes.
 * bcrypt is slow by design (tens of ms at cost 10), so a flood of wrong passwords must not take the
 * server from the clients that know theirs:
 * <ul>
 * <li>successful checks are cached, keyed by a SHA-256 of user, hash and password (never the password
 *     itself), as the exporter-toolkit caches them, in a bounded LRU map that failures never touch, so
 *     an authenticated scrape costs a hash lookup however many wrong passwords arrive;</li>
 * <li>failures are cached briefly in a map of their own (a misconfigured client repeating itself);</li>
 * <li>at most {@link #concurrency} bcrypt runs at once and a few more wait, briefly: the rest are
 *     answered "busy" at once instead of holding one of the server's threads.</li>
 * </ul>
 * Unknown users are checked against a fixed hash so they take as long as known ones.
 */
final class BasicAuth {
    static final long FAILURE_CACHE_NANOS = 60_000_000_000L;
    private static final int SUCCESS_LIMIT = 128;
    private static final int FAILURE_LIMIT = 1024;
    private static final long WAIT_MILLIS = 2_000;
    static final int MAX_PASSWORD_BYTES = 72;

    /** What a check says: let the request through, answer 401, or answer 429 (too many checks running). */
    enum Verdict { ALLOWED, DENIED, BUSY }

    private final Map<String, String> users;
    private final LongSupplier clock;
    private final Map<String, Boolean> successes = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > SUCCESS_LIMIT;
                }
            });
    private final ConcurrentHashMap<String, Long> failures = new ConcurrentHashMap<>();
    private final int concurrency;
    private final Semaphore bcrypt;
    /** Checks running or waiting for a permit. */
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicLong bcryptRuns = new AtomicLong();
    /** bcrypt of a random secret at the users' cost: makes unknown users cost as much as known ones. */
    private final String dummyHash;

    BasicAuth(Map<String, String> users) {
        this(users, System::nanoTime, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    BasicAuth(Map<String, String> users, LongSupplier clock) {
        this(users, clock, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    BasicAuth(Map<String, String> users, LongSupplier clock, int concurrency) {
        this.users = Map.copyOf(users);
        this.clock = clock;
        this.concurrency = concurrency;
        this.bcrypt = new Semaphore(concurrency, true);
        int cost = users.values().stream().mapToInt(h -> Integer.parseInt(h.substring(h.indexOf('$', 1) + 1,
                h.indexOf('$', 1) + 3))).max().orElse(4);
        byte[] secret = new byte[16];
        new java.security.SecureRandom().nextBytes(secret);
        this.dummyHash = users.isEmpty() ? "" : BCrypt.withDefaults().hashToString(Math.max(4, Math.min(cost, 31)),
                HexFormat.of().formatHex(secret).toCharArray());
    }

    /** Whether the {@code Authorization} header value (may be null) names a user with the right password. */
    boolean check(String authorization) {
        return verdict(authorization) == Verdict.ALLOWED;
    }

    Verdict verdict(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Verdict.DENIED;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Verdict.DENIED; // not base64: a client's bad credentials, answered 401, nothing of ours failed
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Verdict.DENIED;
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            // bcrypt reads 72 bytes (the library refuses more); hash-password refuses to hash a longer one, so no
            // configured hash can be for it.
            return Verdict.DENIED;
        }
        String hash = users.get(user);
        boolean known = hash != null;
        if (!known) {
            hash = dummyHash;
        }
        String key = cacheKey(user, hash, password);
        if (successes.containsKey(key)) {
            return Verdict.ALLOWED;
        }
        long now = clock.getAsLong();
        Long failedUntil = failures.get(key);
        if (failedUntil != null && now - failedUntil < 0) {
            return Verdict.DENIED;
        }
        // Admission: the permits plus as many waiting; everyone else is told to come back later.
        if (admitted.incrementAndGet() > 2 * concurrency) {
            admitted.decrementAndGet();
            return Verdict.BUSY;
        }
        boolean ok;
        try {
            if (!bcrypt.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return Verdict.BUSY;
            }
            try {
                bcryptRuns.incrementAndGet();
                ok = BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                        hash.getBytes(StandardCharsets.UTF_8)).verified && known;
            } finally {
                bcrypt.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Verdict.BUSY;
        } finally {
            admitted.decrementAndGet();
        }
        if (ok) {
            successes.put(key, Boolean.TRUE);
            return Verdict.ALLOWED;
        }
        if (failures.size() >= FAILURE_LIMIT) {
            failures.clear();
        }
        failures.put(key, now + FAILURE_CACHE_NANOS);
        return Verdict.DENIED;
    }

    /** How many bcrypt comparisons ran (for tests of the cache). */
    long bcryptRuns() {
        return bcryptRuns.get();
    }

    private static String cacheKey(String user, String hash, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[]{user, hash, password}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update((byte) (bytes.length >>> 24));
                sha.update((byte) (bytes.length >>> 16));
                sha.update((byte) (bytes.length >>> 8));
                sha.update((byte) bytes.length);
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
