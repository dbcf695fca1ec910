/**
 * Loci's default offline embedder: e5-small-v2 (quantised ONNX) on LangChain4j, found by
 * {@link java.util.ServiceLoader} as a {@link dev.loci.spi.Embedder}.
 *
 * <p>The LangChain4j jars carry no module descriptor and no {@code Automatic-Module-Name}, so they are required by
 * the names the JDK derives from their file names ({@code langchain4j-core-1.11.0.jar} becomes
 * {@code langchain4j.core}). On the class path, where Loci's tests and the demo run, none of this matters.
 */
module dev.loci.langchain4j {
    requires dev.loci.core;
    requires langchain4j.core;
    requires langchain4j.embeddings;
    requires langchain4j.embeddings.e5.small.v2.q;
    requires org.slf4j;
    requires static org.jspecify;

    exports dev.loci.langchain4j;

    provides dev.loci.spi.Embedder with dev.loci.langchain4j.E5Embedder;
}
