package dev.loci.lucene;

import dev.loci.spi.LongTermStore;
import dev.loci.testkit.LongTermStoreContract;

class LuceneInMemoryStoreTest extends LongTermStoreContract {
    @Override
    protected LongTermStore.Factory factory() {
        return LuceneStore.inMemory();
    }

    @Override
    protected boolean isPersistent() {
        return false;
    }
}
