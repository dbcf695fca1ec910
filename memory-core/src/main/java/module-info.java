/** Loci core: the API ({@code dev.loci}), the SPIs and the policies. */
module dev.loci.core {
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.github.benmanes.caffeine;
    requires org.slf4j;
    requires static transitive org.jspecify;

    exports dev.loci;
    exports dev.loci.spi;
    exports dev.loci.policy;

    opens dev.loci to com.fasterxml.jackson.databind;
    opens dev.loci.internal to com.fasterxml.jackson.databind;

    uses dev.loci.spi.Embedder;
    uses dev.loci.spi.LongTermStore.Factory;
}
