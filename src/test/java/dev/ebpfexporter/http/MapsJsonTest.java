package dev.ebpfexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebpfexporter.collector.MapsView;

import java.util.List;

import org.junit.jupiter.api.Test;

class MapsJsonTest {
    private final MapsJson json = new MapsJson(new MapsView(List::of, (decoder, inputSize) -> {
        throw new AssertionError("no decoders without configs");
    }));

    @Test
    void listsLoadedConfigs() {
        assertThat(json.render(Query.parse(null))).isEqualTo(new MapsJson.Result(200, "{\"configs\":[]}\n"));
        assertThat(json.render(Query.parse(""))).isEqualTo(new MapsJson.Result(200, "{\"configs\":[]}\n"));
    }

    @Test
    void onlyLoadedConfigNamesAndTheConfigParameterAreAccepted() {
        assertThat(json.render(Query.parse("config=..%2Fetc%2Fpasswd")))
                .isEqualTo(new MapsJson.Result(404, "{\"error\":\"no loaded config named ../etc/passwd\"}\n"));
        assertThat(json.render(Query.parse("file=/etc/passwd"))).isEqualTo(new MapsJson.Result(400,
                "{\"error\":\"unknown query parameter; only config=NAME is accepted\"}\n"));
    }
}
