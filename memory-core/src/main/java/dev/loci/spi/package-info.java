/**
 * What an implementer replaces: the {@link dev.loci.spi.Embedder} and the {@link dev.loci.spi.LongTermStore}.
 *
 * <pre>{@code
 * Memory memory = Loci.builder().directory(dir).embedder(myEmbedder).longTermStore(MyStore::open).build();
 * }</pre>
 */
@NullMarked
package dev.loci.spi;

import org.jspecify.annotations.NullMarked;
