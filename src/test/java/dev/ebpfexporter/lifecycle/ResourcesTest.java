package dev.ebpfexporter.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResourcesTest {
    private final List<String> closed = Collections.synchronizedList(new ArrayList<>());

    private AutoCloseable named(String name) {
        return () -> closed.add(name);
    }

    @Test
    void closesInReverseOrderOnce() {
        Resources owned = new Resources("config a");
        owned.add("object", named("object"));
        owned.add("link", named("link"));
        owned.add("pump", named("pump"));
        owned.close();
        owned.close();
        assertThat(closed).containsExactly("pump", "link", "object");
        assertThat(owned.size()).isZero();
    }

    @Test
    void anErrorInOneCloseStillClosesTheRestAndIsThrownWithTheOthersSuppressed() {
        Resources owned = new Resources("config a");
        owned.add("object", named("object"));
        owned.add("link", () -> {
            throw new IllegalStateException("detach failed");
        });
        owned.add("pump", () -> {
            throw new OutOfMemoryError("no room");
        });
        assertThatThrownBy(owned::close).isInstanceOf(OutOfMemoryError.class).hasMessage("no room")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .satisfies(s -> assertThat(s).hasMessage("config a: closing link: java.lang.IllegalStateException: detach failed")
                                .hasCauseInstanceOf(IllegalStateException.class)));
        assertThat(closed).containsExactly("object");
    }

    @Test
    void closeAfterAFailureKeepsTheFailureAndSuppressesWhatClosingThrew() {
        Resources owned = new Resources("config a");
        owned.add("object", named("object"));
        owned.add("link", () -> {
            throw new java.io.IOException("busy");
        });
        Error cause = new OutOfMemoryError("while attaching");
        owned.closeAfter(cause);
        assertThat(closed).containsExactly("object");
        assertThat(cause.getSuppressed()).singleElement()
                .satisfies(s -> assertThat(s).hasMessage("config a: closing link: java.io.IOException: busy"));
    }

    @Test
    void whatIsAddedAfterCloseIsClosedAtOnce() {
        Resources owned = new Resources("exporter");
        owned.close();
        assertThatThrownBy(() -> owned.add("config b", named("config b"))).isInstanceOf(IllegalStateException.class)
                .hasMessage("exporter: closed, so config b was closed at once");
        assertThat(closed).containsExactly("config b");
    }

    @Test
    void concurrentlyOverlapsTheWaitsOfManyOwners() throws Exception {
        CountDownLatch all = new CountDownLatch(8);
        List<AutoCloseable> owners = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            // Each close returns only once every close has started: sequential closing would never finish.
            owners.add(() -> {
                all.countDown();
                if (!all.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("closed one after another");
                }
            });
        }
        Concurrently.close("test-close", owners);
        assertThat(all.getCount()).isZero();
    }

    @Test
    void concurrentlyThrowsTheFirstFailureAfterClosingEveryOwner() {
        List<AutoCloseable> owners = List.of(named("a"), () -> {
            throw new StackOverflowError("deep");
        }, named("c"));
        assertThatThrownBy(() -> Concurrently.close("test-close", owners)).isInstanceOf(StackOverflowError.class);
        assertThat(closed).containsExactlyInAnyOrder("a", "c");
    }
}
