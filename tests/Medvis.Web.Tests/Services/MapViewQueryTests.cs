using Medvis.Core.Maps;
using Medvis.Web.Results;

namespace Medvis.Web.Tests.Services;

/// <summary>A map's zoom, lasso and clicked point in the address: written compactly, read back, hostile values ignored.</summary>
public sealed class MapViewQueryTests
{
    [Fact]
    public void ZoomLassoMapAndPointGoIntoTheQueryAndComeBackTheSame()
    {
        var lasso = LassoOutline.Reduce(Enumerable.Range(0, 300).Select(i => new PlanePoint(10 + 4 * Math.Cos(i / 47.7), -3 + 4 * Math.Sin(i / 47.7))).ToArray(), 60)!;
        var state = new MapViewState(MapViewQuery.Round(new MapZoom(-12.345678, 20.98765, -7.5, 9.25)), lasso, 2, 1234);

        var query = MapViewQuery.Format(state);
        var back = MapViewQuery.Parse(query["zoom"], query["lasso"], query["lassoin"], query["point"], maps: 3);

        Assert.Equal(state.Zoom, back.Zoom);
        Assert.Equal(lasso, back.Lasso);
        Assert.Equal(2, back.LassoMap);
        Assert.Equal(1234, back.Image);
        // Compact: numbers joined by '_' (left unescaped in a URL), the zoom to 1/2,000-1/20,000 of its span.
        Assert.Equal("-12.346_20.988_-7.5_9.25", query["zoom"]);
        Assert.DoesNotContain(',', query["lasso"]!);
        Assert.True(query["lasso"]!.Length <= MapViewQuery.MaxValueLength, $"{query["lasso"]!.Length} characters");
    }

    [Fact]
    public void AnEmptyStateRemovesEveryParameter()
    {
        Assert.All(MapViewQuery.Format(MapViewState.Empty).Values, Assert.Null);
        Assert.Equal(MapViewState.Empty, MapViewQuery.Parse(null, null, null, null));
        Assert.Equal(MapViewState.Empty, MapViewQuery.Parse("", "", "", ""));
    }

    [Theory]
    [InlineData("1_2_3")]                        // three numbers
    [InlineData("1_2_3_4_5")]                    // five
    [InlineData("2_1_0_1")]                      // x0 > x1
    [InlineData("0_1_5_5")]                      // empty y range
    [InlineData("NaN_1_0_1")]
    [InlineData("0_Infinity_0_1")]
    [InlineData("0_1e400_0_1")]                  // overflows to infinity
    [InlineData("0_1e13_0_1")]                   // beyond the coordinate bound
    [InlineData("0,1,0,1")]                      // commas
    [InlineData("0_1_0_1 ")]                     // trailing space
    [InlineData("0x10_1_0_1")]
    [InlineData("٠_١_٠_١")]                      // Arabic-Indic digits
    [InlineData("<script>alert(1)</script>")]
    [InlineData("0__0_1")]
    public void AMalformedZoomIsIgnored(string zoom)
    {
        var state = MapViewQuery.Parse(zoom, "0_0_1_0_1_1", null, "3");
        Assert.Null(state.Zoom);
        // The other parameters still count.
        Assert.Equal(3, state.Lasso!.Count);
        Assert.Equal(3, state.Image);
    }

    [Theory]
    [InlineData("0_0_1_0")]                      // two vertices
    [InlineData("0_0_1_0_1")]                    // odd count
    [InlineData("0_0_1_0_NaN_1")]
    [InlineData("0;0;1;0;1;1")]
    [InlineData("' OR 1=1 --")]
    public void AMalformedLassoIsIgnored(string lasso)
    {
        var state = MapViewQuery.Parse("0_1_0_1", lasso, "1", null, maps: 2);
        Assert.Null(state.Lasso);
        Assert.Equal(0, state.LassoMap);
        Assert.NotNull(state.Zoom);
    }

    [Fact]
    public void OverlongValuesAndTooManyVerticesAreIgnoredUnread()
    {
        var tooMany = string.Join('_', Enumerable.Range(0, 2 * (LassoOutline.MaxVertices + 1)).Select(i => (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Null(MapViewQuery.Parse(null, tooMany, null, null).Lasso);
        var huge = new string('1', 1_000_000);
        var state = MapViewQuery.Parse(huge, huge, huge, huge);
        Assert.Equal(MapViewState.Empty, state);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("1.5")]
    [InlineData("99999999999")]                 // past int
    [InlineData("1e3")]
    [InlineData(" 7")]
    [InlineData("７")]                           // full-width digit
    public void AMalformedPointIsIgnored(string point) => Assert.Null(MapViewQuery.Parse(null, null, null, point).Image);

    [Theory]
    [InlineData("3", 2, 0)]                      // no such map
    [InlineData("-1", 4, 0)]
    [InlineData("x", 4, 0)]
    [InlineData("1", 4, 1)]
    public void TheLassosMapMustBeOneOfThePages(string lassoIn, int maps, int expected) =>
        Assert.Equal(expected, MapViewQuery.Parse(null, "0_0_1_0_1_1", lassoIn, null, maps).LassoMap);

    [Fact]
    public void RoundingTheZoomKeepsItWithinAThousandthOfItsSpan()
    {
        var zoom = new MapZoom(0.123456789, 0.98765, -1234.5678, -1000.1234);
        var rounded = MapViewQuery.Round(zoom);
        Assert.True(rounded.IsCloseTo(zoom));
        Assert.NotEqual(zoom, rounded);
        Assert.False(new MapZoom(0, 1, 0, 1).IsCloseTo(new MapZoom(0.01, 1, 0, 1)));
    }

    [Fact]
    public void ACompareLinksLassoIsFittedToTheMapItWasDrawnInAndReducedByThatMapsExtent()
    {
        // Three maps of very different sizes: the outline is rounded by the size of map 2, where it was drawn.
        var extents = new[] { 1_000.0, 10.0, 0.01 };
        var drawn = new[] { new PlanePoint(0.0012345, 0.0012345), new PlanePoint(0.0051234, 0.0012345), new PlanePoint(0.0051234, 0.0061234) };
        var view = new MapViewState(new MapZoom(-1, 1, -2, 2), drawn, 2, 7);

        var fitted = ComparedView.Fit(view, 3, map => extents[map], [3, 7, 9]);

        Assert.Equal(new MapZoom(-1, 1, -2, 2), fitted.Zoom);
        Assert.Equal(LassoOutline.Reduce(drawn, extents[2]), fitted.Lasso);
        Assert.NotEqual(LassoOutline.Reduce(drawn, extents[0]), fitted.Lasso);
        Assert.Equal(2, fitted.LassoMap);
        // A lasso and a picked image: the lasso is the selection, as on the page (a pick ends a lasso).
        Assert.Null(fitted.Picked);
        Assert.Equal(new MapViewState(view.Zoom, fitted.Lasso, 2, null), fitted.ToState([3, 7, 9]));
    }

    [Fact]
    public void ACompareLinksPickedImageIsTheSharedImageOfThatDatasetIndex()
    {
        var fitted = ComparedView.Fit(new MapViewState(null, null, 0, 9), 2, _ => 1, [3, 7, 9, 12]);

        Assert.Equal(2, fitted.Picked);
        Assert.Null(fitted.Lasso);
        // Back to the address as the dataset index, not the shared position.
        Assert.Equal(9, fitted.ToState([3, 7, 9, 12]).Image);
    }

    [Fact]
    public void WhatACompareLinkNamesThatTheComparisonLacksIsDropped()
    {
        var triangle = new[] { new PlanePoint(0, 0), new PlanePoint(1, 0), new PlanePoint(0, 1) };
        // The lasso's map is not among the two compared; the image is not shared: only the zoom stays.
        var fitted = ComparedView.Fit(new MapViewState(new MapZoom(0, 1, 0, 1), triangle, 2, 5), 2, _ => 1, [3, 7]);
        Assert.Equal(new ComparedView(new MapZoom(0, 1, 0, 1), null, 0, null), fitted);
        // An outline that reduces to nothing (all corners on a line) leaves the picked image.
        var line = new[] { new PlanePoint(0, 0), new PlanePoint(1, 1), new PlanePoint(2, 2) };
        Assert.Equal(new ComparedView(null, null, 0, 1), ComparedView.Fit(new MapViewState(null, line, 1, 7), 2, _ => 1, [3, 7]));
        Assert.Equal(MapViewState.Empty, ComparedView.Empty.ToState([3, 7]));
    }
}
