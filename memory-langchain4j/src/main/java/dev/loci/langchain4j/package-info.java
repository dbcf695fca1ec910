/**
 * Loci on LangChain4j: {@link dev.loci.langchain4j.E5Embedder}, the default offline embedder.
 *
 * <pre>{@code
 * Memory memory = Loci.builder().directory(dir).embedder(new E5Embedder()).build(); // or found by ServiceLoader
 * }</pre>
 */
@NullMarked
package dev.loci.langchain4j;

import org.jspecify.annotations.NullMarked;
