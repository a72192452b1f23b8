namespace Medvis.Core.Evaluation;

/// <summary>
/// The 32-bit Mersenne Twister (Matsumoto &amp; Nishimura, "Mersenne Twister: a 623-dimensionally equidistributed
/// uniform pseudo-random number generator", ACM TOMACS 8(1), 1998), seeded as NumPy's legacy
/// <c>RandomState(seed)</c> seeds it for an integer seed: <c>MT19937._legacy_seeding</c> calls
/// <c>mt19937_seed</c> (numpy/random/src/mt19937/mt19937.c), the reference <c>init_genrand</c> recurrence
/// key[i] = 1812433253 · (key[i−1] ⊕ (key[i−1] ≫ 30)) + i, with the state position at its end so the first draw
/// regenerates the whole 624-word state.
/// </summary>
internal sealed class Mt19937
{
    private const int StateLength = 624;
    private const int Shift = 397;
    private const uint MatrixA = 0x9908b0dfU;
    private const uint UpperMask = 0x80000000U;
    private const uint LowerMask = 0x7fffffffU;

    private readonly uint[] _key = new uint[StateLength];
    private int _position;

    /// <summary>State of <c>numpy.random.RandomState(seed)</c>.</summary>
    public Mt19937(uint seed)
    {
        _key[0] = seed;
        for (var i = 1; i < StateLength; i++)
            _key[i] = 1812433253U * (_key[i - 1] ^ (_key[i - 1] >> 30)) + (uint)i;
        _position = StateLength;
    }

    /// <summary>Next tempered 32-bit output (NumPy's <c>mt19937_next32</c>).</summary>
    public uint NextUInt32()
    {
        if (_position == StateLength) Regenerate();
        var y = _key[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680U;
        y ^= (y << 15) & 0xefc60000U;
        return y ^ (y >> 18);
    }

    /// <summary>The twist of all 624 words at once (NumPy's <c>mt19937_gen</c>).</summary>
    private void Regenerate()
    {
        for (var i = 0; i < StateLength; i++)
        {
            var y = (_key[i] & UpperMask) | (_key[(i + 1) % StateLength] & LowerMask);
            _key[i] = _key[(i + Shift) % StateLength] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : MatrixA);
        }
        _position = 0;
    }
}
