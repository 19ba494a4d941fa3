"use client";
// The two checkbox lists of a safety batch: which risk categories and attack vectors annotators pick from.
import { ATTACK_VECTORS, RISK_CATEGORIES, type AttackVector, type RiskCategory } from "@/lib/protocol";
import { ATTACK_VECTOR_NAMES, RISK_CATEGORY_NAMES } from "./safety-taxonomy";

export type SafetyLists = { riskCategories: RiskCategory[]; attackVectors: AttackVector[] };

export const PROTOCOL_SAFETY_LISTS: SafetyLists = { riskCategories: [...RISK_CATEGORIES], attackVectors: [...ATTACK_VECTORS] };

function toggle<T extends string>(list: T[], value: T, all: readonly T[]): T[] {
  const next = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  return all.filter((v) => next.includes(v)); // keep the protocol's order
}

export function SafetyListsFields({ value, onChange, disabled }: { value: SafetyLists; onChange: (lists: SafetyLists) => void; disabled?: boolean }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <fieldset disabled={disabled} data-testid="risk-categories">
        <legend className="text-sm font-medium text-stone-700">Risk categories</legend>
        <div className="mt-1 space-y-1">
          {RISK_CATEGORIES.map((category) => (
            <label key={category} className="flex items-center gap-2 text-sm text-stone-700">
              <input
                type="checkbox"
                checked={value.riskCategories.includes(category)}
                onChange={() => onChange({ ...value, riskCategories: toggle(value.riskCategories, category, RISK_CATEGORIES) })}
              />
              {RISK_CATEGORY_NAMES[category]}
            </label>
          ))}
        </div>
        {value.riskCategories.length === 0 && <p className="mt-1 text-xs text-red-700">Keep at least one.</p>}
      </fieldset>
      <fieldset disabled={disabled} data-testid="attack-vectors">
        <legend className="text-sm font-medium text-stone-700">Attack vectors</legend>
        <div className="mt-1 space-y-1">
          {ATTACK_VECTORS.map((vector) => (
            <label key={vector} className="flex items-center gap-2 text-sm text-stone-700">
              <input
                type="checkbox"
                checked={value.attackVectors.includes(vector)}
                onChange={() => onChange({ ...value, attackVectors: toggle(value.attackVectors, vector, ATTACK_VECTORS) })}
              />
              {ATTACK_VECTOR_NAMES[vector]}
            </label>
          ))}
        </div>
        {value.attackVectors.length === 0 && <p className="mt-1 text-xs text-red-700">Keep at least one.</p>}
      </fieldset>
    </div>
  );
}
