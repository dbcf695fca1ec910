package dev.loci.testkit;

import dev.loci.spi.Embedder;

class TestEmbedderContractTest extends EmbedderContract {
    @Override
    protected Embedder embedder() {
        return new TestEmbedder();
    }
}
