// Taints and tolerations, shared by every environment and by Application.
import { Checker, known, path } from "./validate";

export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;
const TOLERATION_OPERATORS = ["Equal", "Exists"] as const;

export function checkTaints(c: Checker, p: string, taints: unknown): void {
    if (!known(taints)) return;
    if (!Array.isArray(taints)) { c.fail(p, "must be a list of taints"); return; }
    taints.forEach((t: any, i) => {
        if (!known(t)) return;
        c.required(path(p, i, "key"), t.key, "the taint key") && c.qualifiedName(path(p, i, "key"), t.key);
        c.labelValue(path(p, i, "value"), t.value);
        c.required(path(p, i, "effect"), t.effect, `one of ${TAINT_EFFECTS.join(", ")}`) &&
            c.oneOf(path(p, i, "effect"), t.effect, TAINT_EFFECTS);
    });
}

export function checkTolerations(c: Checker, p: string, tolerations: unknown): void {
    if (!known(tolerations)) return;
    if (!Array.isArray(tolerations)) { c.fail(p, "must be a list of tolerations"); return; }
    tolerations.forEach((t: any, i) => {
        if (!known(t)) return;
        if (known(t.key)) c.qualifiedName(path(p, i, "key"), t.key);
        c.oneOf(path(p, i, "operator"), t.operator, TOLERATION_OPERATORS);
        if (t.operator === "Exists" && known(t.value) && t.value !== "") {
            c.fail(path(p, i, "value"), `must be empty when operator is "Exists"`);
        }
        if (known(t.effect) && t.effect !== "") c.oneOf(path(p, i, "effect"), t.effect, TAINT_EFFECTS);
        c.integer(path(p, i, "tolerationSeconds"), t.tolerationSeconds, 0);
    });
}

/** Checks a placement given as nodeSelector + tolerations. */
export function checkPlacement(c: Checker, p: string, placement: any): void {
    if (!known(placement)) return;
    c.labels(path(p, "nodeSelector"), placement.nodeSelector);
    checkTolerations(c, path(p, "tolerations"), placement.tolerations);
}
