/** Loci's durable long-term store: Lucene HNSW vectors, BM25 text and filters in one index. */
module dev.loci.lucene {
    requires transitive dev.loci.core;
    requires org.apache.lucene.core;
    requires org.apache.lucene.analysis.common;
    requires org.slf4j;
    requires static org.jspecify;

    exports dev.loci.lucene;

    provides dev.loci.spi.LongTermStore.Factory with dev.loci.lucene.LuceneStoreFactory;
}
