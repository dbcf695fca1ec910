/**
 * The retrieval yardstick: loads the LoCoMo conversations, writes each into a fresh memory, asks its questions and
 * scores the evidence the memory brings back. Run it through {@link dev.loci.bench.Main}.
 */
@NullMarked
package dev.loci.bench;

import org.jspecify.annotations.NullMarked;
