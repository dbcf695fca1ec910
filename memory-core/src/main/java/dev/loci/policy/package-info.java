/**
 * What a researcher replaces: the policies the scheduler runs.
 *
 * <pre>{@code
 * PromotionPolicy eager = (record, trigger, now) -> PromotionPolicy.Decision.PROMOTE;
 * Memory memory = Loci.builder().directory(dir).promotionPolicy(eager).build();
 *
 * // Only what the user said becomes long-term memory; tools' and agents' records fade when evicted.
 * PromotionPolicy guarded = PromotionPolicy.trusting(EnumSet.of(Source.USER), PromotionPolicy.defaults());
 * }</pre>
 */
@NullMarked
package dev.loci.policy;

import org.jspecify.annotations.NullMarked;
