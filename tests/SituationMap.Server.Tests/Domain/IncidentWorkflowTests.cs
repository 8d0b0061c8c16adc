using SituationMap.Analysis.Domain;
using SituationMap.Server.Incidents;
using static SituationMap.Analysis.Domain.IncidentStatus;

namespace SituationMap.Server.Tests.Domain;

public sealed class IncidentWorkflowTests
{
    [Theory]
    [InlineData(Reported, Dispatched)]
    [InlineData(Dispatched, OnScene)]
    [InlineData(OnScene, Resolved)]
    [InlineData(Resolved, Closed)]
    [InlineData(Reported, Cancelled)]
    [InlineData(Reported, OnScene)]
    [InlineData(Resolved, OnScene)]
    [InlineData(Closed, Closed)]
    public void AllowedTransitions(IncidentStatus from, IncidentStatus to) => Assert.True(IncidentWorkflow.CanMove(from, to));

    [Theory]
    [InlineData(Reported, Closed)]
    [InlineData(Closed, Reported)]
    [InlineData(Cancelled, Reported)]
    [InlineData(Resolved, Cancelled)]
    [InlineData(OnScene, Dispatched)]
    public void RefusedTransitions(IncidentStatus from, IncidentStatus to) => Assert.False(IncidentWorkflow.CanMove(from, to));

    [Fact]
    public void EveryStatusCanReachAFinalStateAndFinalStatesGoNowhere()
    {
        foreach (var status in Enum.GetValues<IncidentStatus>())
        {
            var reachable = new HashSet<IncidentStatus> { status };
            var frontier = new Queue<IncidentStatus>([status]);
            while (frontier.TryDequeue(out var s))
                foreach (var next in IncidentWorkflow.AllowedFrom(s).Where(reachable.Add)) frontier.Enqueue(next);
            Assert.True(reachable.Contains(Closed) || reachable.Contains(Cancelled), $"{status} cannot end");
        }
        Assert.Empty(IncidentWorkflow.AllowedFrom(Closed));
        Assert.Empty(IncidentWorkflow.AllowedFrom(Cancelled));
    }

    [Fact]
    public void OnlyReportedDispatchedAndOnSceneAreOpen() =>
        Assert.Equal([Reported, Dispatched, OnScene], Enum.GetValues<IncidentStatus>().Where(IncidentWorkflow.IsOpen));
}
