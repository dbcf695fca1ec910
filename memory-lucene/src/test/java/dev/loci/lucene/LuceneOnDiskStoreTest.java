package dev.loci.lucene;

import dev.loci.spi.LongTermStore;
import dev.loci.testkit.LongTermStoreContract;

class LuceneOnDiskStoreTest extends LongTermStoreContract {
    @Override
    protected LongTermStore.Factory factory() {
        return LuceneStore.onDisk();
    }
}
