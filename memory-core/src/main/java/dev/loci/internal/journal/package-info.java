/**
 * The journal: an append-only directory of checksummed segment files beneath every view of the memory.
 * {@link dev.loci.internal.journal.Journal} is the only type used outside this package.
 */
@NullMarked
package dev.loci.internal.journal;

import org.jspecify.annotations.NullMarked;
