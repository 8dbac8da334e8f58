// Home page charts: horizontal bars read well on a phone and fit long township names.
(function () {
  function bars(elementId, dataId, color) {
    var element = document.getElementById(elementId);
    var data = document.getElementById(dataId);
    if (!element || !data || !window.echarts) return;
    var rows = JSON.parse(data.textContent).slice().reverse();
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#eef1f5" } } },
      yAxis: { type: "category", data: rows.map(function (r) { return r[0]; }),
               axisTick: { show: false }, axisLabel: { fontSize: 12, interval: 0 } },
      series: [{ type: "bar", data: rows.map(function (r) { return r[1]; }), barMaxWidth: 18,
                 itemStyle: { color: color }, label: { show: true, position: "right", fontSize: 11 } }],
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      animation: false
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  bars("chart-by-category", "data-by-category", "#1d4e89");
  bars("chart-by-area", "data-by-area", "#3f7cbf");
})();
