using ILGPU;
using WarmGate.Kernels.Numerics;

namespace WarmGate.Kernels.Decode;

/// <summary>
/// The state update with IT (<c>TIT</c>) tiles per group (<see cref="StateUpdateConfig.ItemsPerGroup"/>
/// above 1): group <c>k</c> walks tiles <c>k·IT .. k·IT + IT − 1</c> of the batch in order (tile
/// fastest, then head, then sequence, as <see cref="StateUpdateKernel"/> numbers its groups). Each
/// tile is updated exactly as there; in addition
/// <list type="bullet">
/// <item>the next tile's cache slot is read at the start of a tile and, on the vector path, its
/// first pass of state vectors is loaded before the current tile's last pass is updated, so the
/// next loads are in flight while this tile computes and stores;</item>
/// <item>B and C go to shared memory only when the (sequence, B/C group) changes, so a group
/// whose tiles share B and C (the usual case: consecutive heads of one sequence) stages them once.</item>
/// </list>
/// A padding row (negative slot) skips its tiles. Every branch around a barrier depends only on
/// the tile, which the whole group shares, so no barrier is reached by part of a group.
/// </summary>
internal static class StateUpdateStreamKernel
{
    public static void Run<TIn, TInOps, TState, TStateOps, TStateVec, THasD, TDPerChannel, THasZ, THasBias, TSoftplus, TGroup, TRows, TVP, TN, TIT>(
        StateUpdateArgs<TIn, TState> a)
        where TIn : unmanaged
        where TInOps : struct, IElementOps<TIn>
        where TState : unmanaged
        where TStateOps : struct, IElementOps<TState>
        where TStateVec : struct, IStateVectors<TState>
        where THasD : struct, IFlag
        where TDPerChannel : struct, IFlag
        where THasZ : struct, IFlag
        where THasBias : struct, IFlag
        where TSoftplus : struct, IFlag
        where TGroup : struct, IConstant
        where TRows : struct, IConstant
        where TVP : struct, IConstant
        where TN : struct, IConstant
        where TIT : struct, IConstant
    {
        var groupSize = default(TGroup).Value;
        var rows = default(TRows).Value;
        var lanes = groupSize / rows;
        var fixedN = default(TN).Value;
        var partial = SharedMemory.Allocate<float>(groupSize);
        var bs = SharedMemory.Allocate<float>(fixedN > 0 ? fixedN : 1);
        var cs = SharedMemory.Allocate<float>(fixedN > 0 ? fixedN : 1);
        var tid = Group.IdxX;
        var lane = tid % lanes;
        var rowInTile = tid / lanes;
        var n = fixedN > 0 ? fixedN : a.StateDim;
        var vector = fixedN > 0 && fixedN % (4 * lanes) == 0 && a.StateVectors != 0;
        var perPass = StateVectorSets.PerPass(fixedN / (4 * lanes), default(TVP).Value);
        var vec = default(TStateVec);

        var first = Grid.IdxX * default(TIT).Value;
        var count = Math.Min(default(TIT).Value, a.Items - first);
        var item = first;
        var seq = item / (a.Heads * a.TilesPerHead);
        var slot = a.Slots[seq];
        var set = default(StateVectorSet);
        if (vector && slot >= 0)
        {
            var rest = item % (a.Heads * a.TilesPerHead);
            var row = StateUpdateKernel.StateRow(a, slot, rest / a.TilesPerHead, ((rest % a.TilesPerHead) * rows) + rowInTile, n);
            StateVectorSets.Load(a.State, a.StateAddress, vec, (row / 4) + lane, lanes, perPass, ref set);
        }

        var staged = -1L;
        for (var k = 0; k < count; k++, item++)
        {
            var rest = item % (a.Heads * a.TilesPerHead);
            var h = rest / a.TilesPerHead;
            var p = ((rest % a.TilesPerHead) * rows) + rowInTile;

            // The next tile: its slot now, its first state vectors during this tile's last pass.
            var nextSeq = (item + 1) / (a.Heads * a.TilesPerHead);
            var nextSlot = k + 1 < count ? a.Slots[nextSeq] : -1;
            var nextRow = 0L;
            if (vector && nextSlot >= 0)
            {
                var nextRest = (item + 1) % (a.Heads * a.TilesPerHead);
                nextRow = 1 + StateUpdateKernel.StateRow(
                    a, nextSlot, nextRest / a.TilesPerHead, ((nextRest % a.TilesPerHead) * rows) + rowInTile, n);
            }
            var next = default(StateVectorSet);

            if (slot >= 0)
            {
                var rowInHead = p < a.HeadDim;
                var stateRow = StateUpdateKernel.StateRow(a, slot, h, p, n);
                var dt = StateUpdateKernel.ProcessDt<TIn, TInOps, TState, THasBias, TSoftplus>(a, seq, h);
                var dA = DeviceMath.Exp(dt * a.A[h]);
                var channel = h * a.HeadDim + p;
                var x = rowInHead ? default(TInOps).ToFloat(a.X[(long)seq * a.XStride + channel]) : 0f;
                var dtx = dt * x;
                var g = h / a.HeadsPerGroup;
                var bRow = (long)seq * a.BStride + (g * n);
                var cRow = (long)seq * a.CStride + (g * n);

                float acc;
                if (fixedN == 0)
                {
                    acc = StateUpdateKernel.AnyRow<TIn, TInOps, TState, TStateOps>(a, lane, lanes, rowInHead, stateRow, bRow, cRow, dA, dtx);
                }
                else
                {
                    var key = ((long)seq * a.Heads) + g;
                    if (key != staged)
                    {
                        if (staged >= 0) Group.Barrier();   // every thread is done reading the previous B and C
                        StateUpdateKernel.Stage<TIn, TInOps, TState, TGroup>(a, tid, n, bRow, cRow, bs, cs);
                        Group.Barrier();
                        staged = key;
                    }
                    acc = vector
                        ? StateUpdateKernel.VectorRow<TState, TStateVec, TVP, TN>(
                            a.State, a.StateAddress, lane, lanes, rowInHead, stateRow, bs, cs, dA, dtx, nextRow, ref set, ref next)
                        : StateUpdateKernel.FixedRow<TState, TStateOps, TN>(a.State, lane, lanes, rowInHead, stateRow, bs, cs, dA, dtx);
                }

                acc = StateUpdateKernel.Reduce(acc, tid, lane, lanes, partial);
                if (lane == 0 && rowInHead)
                    StateUpdateKernel.WriteY<TIn, TInOps, TState, THasD, TDPerChannel, THasZ>(a, seq, h, channel, x, acc);
            }
            else if (nextRow != 0)
            {
                StateVectorSets.Load(a.State, a.StateAddress, vec, ((nextRow - 1) / 4) + lane, lanes, perPass, ref next);
            }

            set = next;
            slot = nextSlot;
            seq = nextSeq;
        }
    }
}
