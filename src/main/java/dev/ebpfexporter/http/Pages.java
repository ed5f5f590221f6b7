package dev.ebpfexporter.http;

import java.util.Optional;

/** More GET paths behind the same web config checks as every other path (the live view's data and assets). */
public interface Pages {
    /** A response body with its status and content type. */
    record Page(int status, String contentType, String body) {
    }

    /** The page at {@code path}, or empty when it is not one of these. */
    Optional<Page> get(String path, Query query);
}
