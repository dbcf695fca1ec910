package dev.loci.langchain4j;

import dev.loci.spi.Embedder;
import dev.loci.testkit.EmbedderContract;

/** The generic embedder contract; E5EmbedderTest covers what is particular to e5. */
class E5EmbedderContractTest extends EmbedderContract {
    @Override
    protected Embedder embedder() {
        return new E5Embedder();
    }
}
