package dev.loci.testkit;

import dev.loci.spi.LongTermStore;

class ExactLongTermStoreTest extends LongTermStoreContract {
    @Override
    protected LongTermStore.Factory factory() {
        return ExactLongTermStore.factory();
    }

    @Override
    protected boolean hasLexicalChannel() {
        return false;
    }

    @Override
    protected boolean isPersistent() {
        return false;
    }
}
